import { webhookApiDeps } from '@facet/adapters';
import { loadEnv, webhooksApiEnv } from '@facet/contracts';
import { getWebhook } from '@facet/domain/webhooks/endpoints';
import { toEndpointView } from '@facet/domain/webhooks/model';
import { clientsHandler } from '../shared/http.ts';

const env = loadEnv(webhooksApiEnv);
const deps = webhookApiDeps(env);

/** GET /v1/webhooks/{webhookId} — one endpoint (without its secret); another company's id is 404. */
export const handler = clientsHandler(undefined, async ({ caller, pathParameters }) => ({
  status: 200,
  body: { webhook: toEndpointView(await getWebhook(deps, caller, pathParameters.webhookId ?? '')) },
  headers: { 'cache-control': 'no-store' },
}));
