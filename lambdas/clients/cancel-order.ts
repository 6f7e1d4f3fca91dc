import { idempotencyStore, orderDeps } from '@facet/adapters';
import { clientsApiEnv, loadEnv } from '@facet/contracts';
import { cancelOrder } from '@facet/domain/orders/cancel-order';
import { toView } from '@facet/domain/orders/get-order';
import { routeHandler } from '../shared/api/bundle.ts';

const env = loadEnv(clientsApiEnv);
const deps = orderDeps(env, env.PRESIGN_TTL_SECONDS);
const idempotency = idempotencyStore(env.TABLE_NAME);

/** POST /v1/orders/{orderId}/cancel — cancels before production; cancelling twice answers the cancelled order. */
export const handler = routeHandler(
  'CancelOrder',
  async ({ caller, params, body }) => {
    const order = await cancelOrder(deps, caller, params.orderId, body?.reason);
    return { status: 200, body: { order: toView(order) } };
  },
  { idempotency },
);
