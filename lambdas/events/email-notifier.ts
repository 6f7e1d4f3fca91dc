import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { notifierDeps } from '@facet/adapters';
import { emailNotifierEnv, loadEnv } from '@facet/contracts';
import { notifyByEmail } from '@facet/domain/orders/notify-email';
import type { SQSEvent, SQSHandler, SQSRecord } from 'aws-lambda';
import { logger } from '../shared/observability.ts';
import { orderEventFromRecord } from '../shared/sqs.ts';

const env = loadEnv(emailNotifierEnv);
const deps = notifierDeps(env);
const processor = new BatchProcessor(EventType.SQS);

async function onRecord(record: SQSRecord): Promise<void> {
  const event = orderEventFromRecord(record);
  logger.appendKeys({ correlationId: event.correlationId, orderId: event.orderId, eventId: event.id });
  const outcome = await notifyByEmail(deps, event);
  logger.info('email notification', { type: event.type, outcome });
  logger.resetKeys();
}

/** Order events → email (SES on AWS, the outbox locally); failed records return to the queue on their own. */
export const handler: SQSHandler = async (event: SQSEvent, context) =>
  processPartialResponse(event, onRecord, processor, { context });
