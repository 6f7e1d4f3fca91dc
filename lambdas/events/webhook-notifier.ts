import { webhookDeliveryDeps } from '@facet/adapters';
import {
  loadEnv,
  type OrderEvent,
  type WebhookRetryMessage,
  webhookNotifierEnv,
  webhookRetryMessage,
} from '@facet/contracts';
import { fanOut, handleRetry } from '@facet/domain/webhooks/deliveries';
import type { SQSRecord } from 'aws-lambda';
import { eventKeys, sqsRecordHandler } from '../shared/events-bundle.ts';
import { orderEventFromRecord } from '../shared/sqs.ts';

const env = loadEnv(webhookNotifierEnv);
const deps = webhookDeliveryDeps(env);

type WebhookWork = { readonly retry: WebhookRetryMessage } | { readonly event: OrderEvent };

/** Our own retry/replay messages say so in `kind`; everything else on the queue is an order event from SNS. */
function parse(record: SQSRecord): WebhookWork {
  const body: unknown = JSON.parse(record.body);
  if ((body as { kind?: unknown } | null)?.kind === 'webhook.retry') return { retry: webhookRetryMessage.parse(body) };
  return { event: orderEventFromRecord(record) };
}

/**
 * Order events → one signed delivery per subscribed endpoint, tried at once; failed attempts come back as delayed
 * messages on this same queue (never a wait inside the function). Failed records return to the queue on their own.
 */
export const handler = sqsRecordHandler({
  parse,
  keys: (work) =>
    'retry' in work
      ? { tenantId: work.retry.tenantId, webhookId: work.retry.webhookId, deliveryId: work.retry.deliveryId }
      : eventKeys(work.event),
  handle: async (work, { log }) => {
    if ('retry' in work) {
      log.info('webhook attempt', { attempt: work.retry.attempt, outcome: await handleRetry(deps, work.retry) });
      return;
    }
    log.info('webhook fan-out', { type: work.event.type, outcomes: await fanOut(deps, work.event) });
  },
});
