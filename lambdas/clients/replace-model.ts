import { idempotencyStore, orderDeps } from '@facet/adapters';
import { clientsApiEnv, loadEnv, replaceModelRequest } from '@facet/contracts';
import { toView } from '@facet/domain/orders/get-order';
import { replaceModel } from '@facet/domain/orders/replace-model';
import { clientsHandler } from '../shared/http.ts';

const env = loadEnv(clientsApiEnv);
const deps = orderDeps(env, env.PRESIGN_TTL_SECONDS);
const idempotency = idempotencyStore(env.TABLE_NAME);

/** POST /v1/orders/{orderId}/files — upload a new model (a fix for a rejected one): new part URLs, same order. */
export const handler = clientsHandler(
  replaceModelRequest,
  async ({ caller, pathParameters, body }) => {
    const { order, upload } = await replaceModel(deps, caller, pathParameters.orderId ?? '', body.file);
    const completeUrl = `/v1/orders/${order.id}/files/${order.file.id}/complete`;
    return {
      status: 201,
      body: { order: toView(order), upload: { fileId: order.file.id, ...upload, completeUrl } },
    };
  },
  { idempotency },
);
