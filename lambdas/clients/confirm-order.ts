import { idempotencyStore, orderDeps } from '@facet/adapters';
import { clientsApiEnv, loadEnv } from '@facet/contracts';
import { confirmOrder } from '@facet/domain/orders/confirm-order';
import { toView } from '@facet/domain/orders/get-order';
import { routeHandler } from '../shared/api/bundle.ts';

const env = loadEnv(clientsApiEnv);
const deps = orderDeps(env, env.PRESIGN_TTL_SECONDS);
const idempotency = idempotencyStore(env.TABLE_NAME);

/** POST /v1/orders/{orderId}/confirm — accepts the quote (priced again if its lock ended: 409 if it moved). */
export const handler = routeHandler(
  'ConfirmOrder',
  async ({ caller, params, body }) => {
    const order = await confirmOrder(deps, caller, params.orderId, body ?? {});
    return { status: 200, body: { order: toView(order) } };
  },
  { idempotency },
);
