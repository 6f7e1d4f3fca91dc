import { idempotencyStore, webhookApiDeps } from '@facet/adapters';
import { loadEnv, webhooksApiEnv } from '@facet/contracts';
import { registerWebhook } from '@facet/domain/webhooks/endpoints';
import { toEndpointView } from '@facet/domain/webhooks/model';
import { routeHandler } from '../shared/api/bundle.ts';

const env = loadEnv(webhooksApiEnv);
const deps = webhookApiDeps(env);
const idempotency = idempotencyStore(env.TABLE_NAME);

/** POST /v1/webhooks — registers an endpoint; the answer carries its signing secret, shown this once. */
export const handler = routeHandler(
  'RegisterWebhook',
  async ({ caller, body }) => {
    const endpoint = await registerWebhook(deps, caller, body);
    return {
      status: 201,
      headers: { location: `/v1/webhooks/${endpoint.id}`, 'cache-control': 'no-store' },
      body: { webhook: { ...toEndpointView(endpoint), secret: endpoint.secret } },
    };
  },
  { idempotency },
);
