import { orderDeps } from '@facet/adapters';
import { clientsApiEnv, loadEnv } from '@facet/contracts';
import { listOrders } from '@facet/domain/orders/list-orders';
import { routeHandler } from '../shared/api/bundle.ts';

const env = loadEnv(clientsApiEnv);
const deps = orderDeps(env, env.PRESIGN_TTL_SECONDS);

/** GET /v1/orders — the company's orders, newest first, filtered, with a sealed cursor to the next page. */
export const handler = routeHandler('ListOrders', async ({ caller, query }) => ({
  status: 200,
  body: await listOrders(deps, caller, query),
  headers: { 'cache-control': 'no-store' },
}));
