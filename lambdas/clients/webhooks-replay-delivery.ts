import { idempotencyStore, webhookApiDeps } from '@facet/adapters';
import { loadEnv, webhooksApiEnv } from '@facet/contracts';
import { replayDelivery } from '@facet/domain/webhooks/deliveries';
import { toDeliveryView } from '@facet/domain/webhooks/model';
import { clientsHandler } from '../shared/http.ts';

const env = loadEnv(webhooksApiEnv);
const deps = webhookApiDeps(env);
const idempotency = idempotencyStore(env.TABLE_NAME);

/** POST /v1/webhooks/{webhookId}/deliveries/{deliveryId}/replay — sends the delivery again, now (202). */
export const handler = clientsHandler(
  undefined,
  async ({ caller, pathParameters }) => {
    const { webhookId = '', deliveryId = '' } = pathParameters;
    const delivery = await replayDelivery(deps, caller, webhookId, deliveryId);
    return { status: 202, body: { delivery: toDeliveryView(delivery) } };
  },
  { idempotency },
);
