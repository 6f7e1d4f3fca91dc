import { idempotencyStore, webhookApiDeps } from '@facet/adapters';
import { loadEnv, webhooksApiEnv } from '@facet/contracts';
import { rotateWebhookSecret } from '@facet/domain/webhooks/endpoints';
import { toEndpointView } from '@facet/domain/webhooks/model';
import { clientsHandler } from '../shared/http.ts';

const env = loadEnv(webhooksApiEnv);
const deps = webhookApiDeps(env);
const idempotency = idempotencyStore(env.TABLE_NAME);

/** POST /v1/webhooks/{webhookId}/rotate-secret — a new secret; the previous one also signs for 24 hours. */
export const handler = clientsHandler(
  undefined,
  async ({ caller, pathParameters }) => {
    const endpoint = await rotateWebhookSecret(deps, caller, pathParameters.webhookId ?? '');
    return {
      status: 200,
      headers: { 'cache-control': 'no-store' },
      body: { webhook: { ...toEndpointView(endpoint), secret: endpoint.secret } },
    };
  },
  { idempotency },
);
