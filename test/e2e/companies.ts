import { tenantStore } from '@facet/adapters';
import { createTenant, issueApiKey } from '@facet/domain/tenants';
import type { LocalCloud } from '../../local/cloud/cloud.ts';
import { ClientsApi } from '../../local/tools/clients-api.ts';

/** Another company on the local cloud, as onboarding (`npm run tenants`) makes it: a tenant and a live key. */
export async function newCompany(cloud: LocalCloud, name: string) {
  const store = tenantStore(cloud.resources.tableName);
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const tenant = await createTenant(store, { name, notificationEmail: `ops@${slug}.example` });
  const key = await issueApiKey(store, tenant.id, 'live');
  return { store, tenantId: tenant.id, ...key };
}

/** Another company's plain HTTP client, its exchanges checked like ours. */
export async function otherCompanyApi(cloud: LocalCloud, send: typeof fetch): Promise<ClientsApi> {
  const { apiKey } = await newCompany(cloud, 'Other Co');
  return new ClientsApi(cloud.apiUrl, apiKey, send);
}
