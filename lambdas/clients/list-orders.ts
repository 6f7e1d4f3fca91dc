import { orderDeps } from '@facet/adapters';
import { clientsApiEnv, listOrdersQuery, loadEnv } from '@facet/contracts';
import { listOrders } from '@facet/domain/orders/list-orders';
import { clientsHandler } from '../shared/http.ts';

const env = loadEnv(clientsApiEnv);
const deps = orderDeps(env, env.PRESIGN_TTL_SECONDS);

/** GET /v1/orders — the company's orders, newest first, filtered, with a sealed cursor to the next page. */
export const handler = clientsHandler(
  undefined,
  async ({ caller, query }) => ({
    status: 200,
    body: await listOrders(deps, caller, query),
    headers: { 'cache-control': 'no-store' },
  }),
  { query: listOrdersQuery },
);
