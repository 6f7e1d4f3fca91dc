import { idempotencyStore, webhookApiDeps } from '@facet/adapters';
import { loadEnv, webhooksApiEnv } from '@facet/contracts';
import { replayDelivery } from '@facet/domain/webhooks/deliveries';
import { toDeliveryView } from '@facet/domain/webhooks/model';
import { routeHandler } from '../shared/api/bundle.ts';

const env = loadEnv(webhooksApiEnv);
const deps = webhookApiDeps(env);
const idempotency = idempotencyStore(env.TABLE_NAME);

/** POST /v1/webhooks/{webhookId}/deliveries/{deliveryId}/replay — sends the delivery again, now (202). */
export const handler = routeHandler(
  'ReplayWebhookDelivery',
  async ({ caller, params }) => {
    const { webhookId, deliveryId } = params;
    const delivery = await replayDelivery(deps, caller, webhookId, deliveryId);
    return { status: 202, body: { delivery: toDeliveryView(delivery) } };
  },
  { idempotency },
);
