import { webhookApiDeps } from '@facet/adapters';
import { loadEnv, webhooksApiEnv } from '@facet/contracts';
import { deleteWebhook } from '@facet/domain/webhooks/endpoints';
import { routeHandler } from '../shared/api/bundle.ts';

const env = loadEnv(webhooksApiEnv);
const deps = webhookApiDeps(env);

/** DELETE /v1/webhooks/{webhookId} — stops deliveries to the endpoint, including queued retries. */
export const handler = routeHandler('DeleteWebhook', async ({ caller, params }) => {
  await deleteWebhook(deps, caller, params.webhookId);
  return { status: 204, body: undefined };
});
