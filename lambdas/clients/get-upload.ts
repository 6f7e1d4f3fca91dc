import { orderDeps } from '@facet/adapters';
import { clientsApiEnv, loadEnv } from '@facet/contracts';
import { resumeUpload } from '@facet/domain/orders/resume-upload';
import { clientsHandler } from '../shared/http.ts';

const env = loadEnv(clientsApiEnv);
const deps = orderDeps(env, env.PRESIGN_TTL_SECONDS);

/** GET /v1/orders/{orderId}/files/{fileId} — which parts are in, and fresh URLs to resume an interrupted upload. */
export const handler = clientsHandler(undefined, async ({ caller, pathParameters }) => ({
  status: 200,
  body: { upload: await resumeUpload(deps, caller, pathParameters.orderId ?? '', pathParameters.fileId ?? '') },
  headers: { 'cache-control': 'no-store' },
}));
