import { issueApiKey } from '@facet/domain/tenants';
import { routeHandler } from '../shared/api/bundle.ts';
import { deps } from './deps.ts';

/** POST /ops/companies/{tenantId}/keys — admins: a live or sandbox key, shown this once (stored hashed). */
export const handler = routeHandler('OperatorsIssueKey', async ({ params, body }) => {
  const issued = await issueApiKey(deps.tenants, params.tenantId, body.kind, deps.usagePlan);
  return { status: 201, headers: { 'cache-control': 'no-store' }, body: issued };
});
