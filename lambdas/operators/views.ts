import type { CompanyView, TreeView } from '@facet/contracts/operators';
import type { ApiKeyRecord, Tenant, TenantStore } from '@facet/domain/ports';
import type { CastingTree } from '@facet/domain/production/trees';

/** The API's views of stored things (what is internal — revisions, volumes, key hashes — stays behind). */
export const treeView = (tree: CastingTree): TreeView => ({
  id: tree.id,
  alloy: tree.alloy,
  stage: tree.stage,
  orders: tree.orders.map(({ tenantId, orderId, reference, pieces }) => ({
    tenantId,
    orderId,
    ...(reference ? { reference } : {}),
    pieces,
  })),
  pieces: tree.orders.reduce((n, o) => n + o.pieces, 0),
  resinGrams: tree.resinGrams,
  metalGrams: tree.metalGrams,
  createdAt: tree.createdAt,
  ...(tree.createdBy ? { createdBy: tree.createdBy } : {}),
});

const keyView = (k: ApiKeyRecord) => ({
  keyId: k.keyId,
  kind: k.kind ?? 'live',
  status: k.status,
  ...(k.createdAt ? { createdAt: k.createdAt } : {}),
});

export async function companyView(tenants: TenantStore, tenant: Tenant): Promise<CompanyView> {
  const keys = await tenants.listApiKeys(tenant.id);
  return {
    id: tenant.id,
    name: tenant.name,
    notificationEmail: tenant.notificationEmail,
    keys: keys.map(keyView),
  };
}
