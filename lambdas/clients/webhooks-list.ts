import { webhookApiDeps } from '@facet/adapters';
import { loadEnv, webhooksApiEnv } from '@facet/contracts';
import { listWebhooks } from '@facet/domain/webhooks/endpoints';
import { toEndpointView } from '@facet/domain/webhooks/model';
import { routeHandler } from '../shared/api/bundle.ts';

const env = loadEnv(webhooksApiEnv);
const deps = webhookApiDeps(env);

/** GET /v1/webhooks — the company's endpoints (without secrets), oldest first. */
export const handler = routeHandler('ListWebhooks', async ({ caller }) => ({
  status: 200,
  body: { webhooks: (await listWebhooks(deps, caller)).map(toEndpointView) },
  headers: { 'cache-control': 'no-store' },
}));
