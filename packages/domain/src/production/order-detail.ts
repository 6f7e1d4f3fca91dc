import type { OrderEvent } from '@facet/contracts';
import type { OperatorOrderView } from '@facet/contracts/operators';
import { describeEvent } from '../board/card.ts';
import { toView } from '../orders/get-order.ts';
import type { BlobStore, OrderStore, TenantStore } from '../ports.ts';
import { findOrder } from './order-actions.ts';

export interface OrderDetailDeps {
  readonly orders: OrderStore;
  readonly tenants: TenantStore;
  readonly blobs: BlobStore;
  readonly clock: () => Date;
  readonly presignTtlSeconds: number;
}

/**
 * An order as the workshop sees it: the clients' view plus production, short-lived links for the viewer (the
 * original model, the repaired one, the report, the thumbnail) and the audit log from the order's stored events.
 */
export async function operatorOrder(deps: OrderDetailDeps, orderId: string): Promise<OperatorOrderView> {
  const order = await findOrder(deps.orders, orderId);
  const [tenant, events] = await Promise.all([
    deps.tenants.getTenant(order.tenantId),
    deps.orders.events(order.tenantId, order.id),
  ]);
  const ttl = deps.presignTtlSeconds;
  const sign = (key: string | undefined) => (key ? deps.blobs.presignGet(key, ttl) : Promise.resolve(undefined));
  const uploaded = order.status !== 'awaiting_upload';
  const [original, repaired, report, thumbnail] = await Promise.all([
    uploaded ? sign(order.file.key) : undefined,
    sign(order.result?.repairedKey),
    sign(order.result?.reportKey),
    sign(order.result?.thumbnailKey),
  ]);
  const production = order.production;
  const format = order.result?.modelFormat;
  return {
    order: toView(order),
    tenantId: order.tenantId,
    company: tenant?.name ?? order.tenantId,
    version: order.version,
    production: {
      ...(production ? { stage: production.stage, stageStartedAt: production.stageStartedAt } : {}),
      ...(production?.hold ? { hold: { ...production.hold } } : {}),
      weights: (production?.weights ?? []).map((w) => ({
        ...w,
        lossGrams: Math.round((w.gramsIn - w.gramsOut) * 1000) / 1000,
      })),
      ...(production?.treeId ? { treeId: production.treeId } : {}),
      ...(production?.shipment ? { shipment: { ...production.shipment } } : {}),
    },
    files: {
      ...(original ? { original: { url: original, name: order.file.name, ...(format ? { format } : {}) } } : {}),
      ...(repaired ? { repaired } : {}),
      ...(report ? { report } : {}),
      ...(thumbnail ? { thumbnail } : {}),
      expiresAt: new Date(deps.clock().getTime() + ttl * 1000).toISOString(),
    },
    audit: events.filter((e) => e.type !== 'order.progress').map(auditEntry),
  };
}

function auditEntry(event: OrderEvent) {
  const stage = typeof event.data.stage === 'string' ? event.data.stage : undefined;
  return {
    eventId: event.id,
    type: event.type,
    at: event.occurredAt,
    status: String(event.data.status ?? ''),
    ...(stage ? { stage } : {}),
    detail: describeEvent(event),
    ...(event.actor ? { actor: event.actor } : {}),
  };
}
