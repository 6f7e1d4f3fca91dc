import { webhookApiDeps } from '@facet/adapters';
import { loadEnv, webhooksApiEnv } from '@facet/contracts';
import { deleteWebhook } from '@facet/domain/webhooks/endpoints';
import { clientsHandler } from '../shared/http.ts';

const env = loadEnv(webhooksApiEnv);
const deps = webhookApiDeps(env);

/** DELETE /v1/webhooks/{webhookId} — stops deliveries to the endpoint, including queued retries. */
export const handler = clientsHandler(undefined, async ({ caller, pathParameters }) => {
  await deleteWebhook(deps, caller, pathParameters.webhookId ?? '');
  return { status: 204, body: undefined };
});
