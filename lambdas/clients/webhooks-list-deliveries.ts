import { webhookApiDeps } from '@facet/adapters';
import { loadEnv, webhooksApiEnv } from '@facet/contracts';
import { listDeliveries } from '@facet/domain/webhooks/deliveries';
import { toDeliveryView } from '@facet/domain/webhooks/model';
import { routeHandler } from '../shared/api/bundle.ts';

const env = loadEnv(webhooksApiEnv);
const deps = webhookApiDeps(env);

/** GET /v1/webhooks/{webhookId}/deliveries — the endpoint's deliveries with their status, newest event first. */
export const handler = routeHandler('ListWebhookDeliveries', async ({ caller, params, query }) => {
  const deliveries = await listDeliveries(deps, caller, params.webhookId, query.limit);
  return {
    status: 200,
    body: { deliveries: deliveries.map(toDeliveryView) },
    headers: { 'cache-control': 'no-store' },
  };
});
