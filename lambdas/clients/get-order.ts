import { orderDeps } from '@facet/adapters';
import { clientsApiEnv, loadEnv } from '@facet/contracts';
import { getOrder } from '@facet/domain/orders/get-order';
import { routeHandler } from '../shared/api/bundle.ts';

const env = loadEnv(clientsApiEnv);
const deps = orderDeps(env, env.PRESIGN_TTL_SECONDS);

/** GET /v1/orders/{orderId} — the order with its quote and a short-lived report link. */
export const handler = routeHandler('GetOrder', async ({ caller, params }) => {
  const order = await getOrder(deps, caller, params.orderId);
  return { status: 200, body: { order }, headers: { 'cache-control': 'no-store' } };
});
