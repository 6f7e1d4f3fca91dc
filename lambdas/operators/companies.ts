import { routeHandler } from '../shared/api/bundle.ts';
import { deps } from './deps.ts';
import { companyView } from './views.ts';

/** GET /ops/companies — admins: every B2B company with its keys (ids, kinds, status; never a key itself). */
export const handler = routeHandler('OperatorsCompanies', async () => {
  const tenants = await deps.tenants.listTenants();
  const companies = await Promise.all(tenants.map((t) => companyView(deps.tenants, t)));
  return { status: 200, headers: { 'cache-control': 'no-store' }, body: { companies } };
});
