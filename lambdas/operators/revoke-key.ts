import { notFound } from '@facet/domain/errors';
import { revokeApiKey } from '@facet/domain/tenants';
import { routeHandler } from '../shared/api/bundle.ts';
import { deps } from './deps.ts';
import { companyView } from './views.ts';

/** POST /ops/companies/{tenantId}/keys/{keyId}/revoke — admins: refused from the next request on. */
export const handler = routeHandler('OperatorsRevokeKey', async ({ params }) => {
  await revokeApiKey(deps.tenants, params.tenantId, params.keyId, deps.usagePlan);
  const tenant = await deps.tenants.getTenant(params.tenantId);
  if (!tenant) throw notFound(`Company ${params.tenantId}`);
  return { status: 200, body: { company: await companyView(deps.tenants, tenant) } };
});
