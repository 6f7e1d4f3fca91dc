import { orderDeps } from '@facet/adapters';
import { clientsApiEnv, loadEnv } from '@facet/contracts';
import { resumeUpload } from '@facet/domain/orders/resume-upload';
import { routeHandler } from '../shared/api/bundle.ts';

const env = loadEnv(clientsApiEnv);
const deps = orderDeps(env, env.PRESIGN_TTL_SECONDS);

/** GET /v1/orders/{orderId}/files/{fileId} — which parts are in, and fresh URLs to resume an interrupted upload. */
export const handler = routeHandler('GetUpload', async ({ caller, params }) => ({
  status: 200,
  body: { upload: await resumeUpload(deps, caller, params.orderId, params.fileId) },
  headers: { 'cache-control': 'no-store' },
}));
