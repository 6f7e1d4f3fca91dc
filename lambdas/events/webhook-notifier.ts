import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { webhookDeliveryDeps } from '@facet/adapters';
import { loadEnv, webhookNotifierEnv, webhookRetryMessage } from '@facet/contracts';
import { fanOut, handleRetry } from '@facet/domain/webhooks/deliveries';
import type { SQSEvent, SQSHandler, SQSRecord } from 'aws-lambda';
import { logger } from '../shared/observability.ts';
import { orderEventFromRecord } from '../shared/sqs.ts';

const env = loadEnv(webhookNotifierEnv);
const deps = webhookDeliveryDeps(env);
const processor = new BatchProcessor(EventType.SQS);

/** Our own retry/replay messages say so in `kind`; everything else on the queue is an order event from SNS. */
const isRetry = (record: SQSRecord) => {
  try {
    return (JSON.parse(record.body) as { kind?: unknown }).kind === 'webhook.retry';
  } catch {
    return false;
  }
};

/** Records of a batch run side by side, so their log keys go with each line rather than on the shared logger. */
async function onRecord(record: SQSRecord): Promise<void> {
  if (isRetry(record)) {
    const message = webhookRetryMessage.parse(JSON.parse(record.body));
    const outcome = await handleRetry(deps, message);
    logger.info('webhook attempt', { ...message, outcome });
    return;
  }
  const event = orderEventFromRecord(record);
  const outcomes = await fanOut(deps, event);
  logger.info('webhook fan-out', {
    correlationId: event.correlationId,
    tenantId: event.tenantId,
    orderId: event.orderId,
    eventId: event.id,
    type: event.type,
    outcomes,
  });
}

/**
 * Order events → one signed delivery per subscribed endpoint, tried at once; failed attempts come back as delayed
 * messages on this same queue (never a wait inside the function). Failed records return to the queue on their own.
 */
export const handler: SQSHandler = async (event: SQSEvent, context) =>
  processPartialResponse(event, onRecord, processor, { context });
