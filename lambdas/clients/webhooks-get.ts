import { webhookApiDeps } from '@facet/adapters';
import { loadEnv, webhooksApiEnv } from '@facet/contracts';
import { getWebhook } from '@facet/domain/webhooks/endpoints';
import { toEndpointView } from '@facet/domain/webhooks/model';
import { routeHandler } from '../shared/api/bundle.ts';

const env = loadEnv(webhooksApiEnv);
const deps = webhookApiDeps(env);

/** GET /v1/webhooks/{webhookId} — one endpoint (without its secret); another company's id is 404. */
export const handler = routeHandler('GetWebhook', async ({ caller, params }) => ({
  status: 200,
  body: { webhook: toEndpointView(await getWebhook(deps, caller, params.webhookId)) },
  headers: { 'cache-control': 'no-store' },
}));
