import { createTenant } from '@facet/domain/tenants';
import { routeHandler } from '../shared/api/bundle.ts';
import { deps } from './deps.ts';
import { companyView } from './views.ts';

/** POST /ops/companies — admins: a new B2B company (the same domain function as `npm run tenants -- create`). */
export const handler = routeHandler('OperatorsCreateCompany', async ({ body }) => {
  const tenant = await createTenant(deps.tenants, body);
  return { status: 201, body: { company: await companyView(deps.tenants, tenant) } };
});
