import { idempotencyStore, webhookApiDeps } from '@facet/adapters';
import { loadEnv, webhooksApiEnv } from '@facet/contracts';
import { rotateWebhookSecret } from '@facet/domain/webhooks/endpoints';
import { toEndpointView } from '@facet/domain/webhooks/model';
import { routeHandler } from '../shared/api/bundle.ts';

const env = loadEnv(webhooksApiEnv);
const deps = webhookApiDeps(env);
const idempotency = idempotencyStore(env.TABLE_NAME);

/** POST /v1/webhooks/{webhookId}/rotate-secret — a new secret; the previous one also signs for 24 hours. */
export const handler = routeHandler(
  'RotateWebhookSecret',
  async ({ caller, params }) => {
    const endpoint = await rotateWebhookSecret(deps, caller, params.webhookId);
    return {
      status: 200,
      headers: { 'cache-control': 'no-store' },
      body: { webhook: { ...toEndpointView(endpoint), secret: endpoint.secret } },
    };
  },
  { idempotency },
);
