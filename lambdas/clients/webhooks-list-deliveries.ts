import { webhookApiDeps } from '@facet/adapters';
import { loadEnv, webhookDeliveryListQuery, webhooksApiEnv } from '@facet/contracts';
import { listDeliveries } from '@facet/domain/webhooks/deliveries';
import { toDeliveryView } from '@facet/domain/webhooks/model';
import { clientsHandler } from '../shared/http.ts';

const env = loadEnv(webhooksApiEnv);
const deps = webhookApiDeps(env);

/** GET /v1/webhooks/{webhookId}/deliveries — the endpoint's deliveries with their status, newest event first. */
export const handler = clientsHandler(
  undefined,
  async ({ caller, pathParameters, query }) => {
    const deliveries = await listDeliveries(deps, caller, pathParameters.webhookId ?? '', query.limit);
    return {
      status: 200,
      body: { deliveries: deliveries.map(toDeliveryView) },
      headers: { 'cache-control': 'no-store' },
    };
  },
  { query: webhookDeliveryListQuery },
);
