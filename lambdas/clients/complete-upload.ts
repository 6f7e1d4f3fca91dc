import { idempotencyStore, orderDeps } from '@facet/adapters';
import { clientsApiEnv, loadEnv } from '@facet/contracts';
import { completeUpload } from '@facet/domain/orders/complete-upload';
import { toView } from '@facet/domain/orders/get-order';
import { routeHandler } from '../shared/api/bundle.ts';

const env = loadEnv(clientsApiEnv);
const deps = orderDeps(env, env.PRESIGN_TTL_SECONDS);
const idempotency = idempotencyStore(env.TABLE_NAME);

/** POST /v1/orders/{orderId}/files/{fileId}/complete — assembles the parts and queues the calculation. */
export const handler = routeHandler(
  'CompleteUpload',
  async ({ caller, params, body }) => {
    const order = await completeUpload(deps, caller, params.orderId, params.fileId, body);
    return { status: 202, body: { order: toView(order) } };
  },
  { idempotency },
);
