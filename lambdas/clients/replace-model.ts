import { idempotencyStore, orderDeps } from '@facet/adapters';
import { clientsApiEnv, loadEnv } from '@facet/contracts';
import { toView } from '@facet/domain/orders/get-order';
import { replaceModel } from '@facet/domain/orders/replace-model';
import { routeHandler } from '../shared/api/bundle.ts';

const env = loadEnv(clientsApiEnv);
const deps = orderDeps(env, env.PRESIGN_TTL_SECONDS);
const idempotency = idempotencyStore(env.TABLE_NAME);

/** POST /v1/orders/{orderId}/files — upload a new model (a fix for a rejected one): new part URLs, same order. */
export const handler = routeHandler(
  'ReplaceModel',
  async ({ caller, params, body }) => {
    const { order, upload } = await replaceModel(deps, caller, params.orderId, body.file);
    const completeUrl = `/v1/orders/${order.id}/files/${order.file.id}/complete`;
    return {
      status: 201,
      body: { order: toView(order), upload: { fileId: order.file.id, ...upload, completeUrl } },
    };
  },
  { idempotency },
);
