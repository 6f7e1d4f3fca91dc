import { idempotencyStore, orderDeps } from '@facet/adapters';
import { clientsApiEnv, loadEnv } from '@facet/contracts';
import { createOrder } from '@facet/domain/orders/create-order';
import { toView } from '@facet/domain/orders/get-order';
import { routeHandler } from '../shared/api/bundle.ts';

const env = loadEnv(clientsApiEnv);
const deps = orderDeps(env, env.PRESIGN_TTL_SECONDS);
const idempotency = idempotencyStore(env.TABLE_NAME);

/** POST /v1/orders — creates an order and returns presigned part URLs for its model. */
export const handler = routeHandler(
  'CreateOrder',
  async ({ caller, correlationId, body }) => {
    const { order, upload } = await createOrder(deps, caller, body, correlationId);
    const completeUrl = `/v1/orders/${order.id}/files/${order.file.id}/complete`;
    return {
      status: 201,
      headers: { location: `/v1/orders/${order.id}` },
      body: { order: toView(order), upload: { fileId: order.file.id, ...upload, completeUrl } },
    };
  },
  { idempotency },
);
