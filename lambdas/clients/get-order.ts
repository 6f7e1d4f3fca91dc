import { orderDeps } from '@facet/adapters';
import { clientsApiEnv, loadEnv } from '@facet/contracts';
import { getOrder } from '@facet/domain/orders/get-order';
import { clientsHandler } from '../shared/http.ts';

const env = loadEnv(clientsApiEnv);
const deps = orderDeps(env, env.PRESIGN_TTL_SECONDS);

/** GET /v1/orders/{orderId} — the order with its quote and a short-lived report link. */
export const handler = clientsHandler(undefined, async ({ caller, pathParameters }) => {
  const order = await getOrder(deps, caller, pathParameters.orderId ?? '');
  return { status: 200, body: { order }, headers: { 'cache-control': 'no-store' } };
});
