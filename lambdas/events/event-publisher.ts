import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { eventBus } from '@facet/adapters';
import { eventPublisherEnv, loadEnv, orderEvent } from '@facet/contracts';
import type { DynamoDBRecord } from 'aws-lambda';
import { eventKeys, streamRecordHandler } from '../shared/events-bundle.ts';

const env = loadEnv(eventPublisherEnv);
const bus = eventBus(env);

/**
 * The outbox publisher: every event item a write stored with its order (the stream's new images of `EVENT#…`
 * items; the event source filters the rest) goes to the order-events topic as it was stored, with its id, so a
 * retried batch republishes the same ids and consumers dedupe. A failure leaves the record to be retried.
 */
export const handler = streamRecordHandler({
  parse: (record: DynamoDBRecord) => {
    const image = record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined;
    return orderEvent.parse(image ? unmarshall(image).event : undefined);
  },
  keys: eventKeys,
  handle: async (event, { log }) => {
    await bus.publish(event);
    log.info('event published', { type: event.type });
  },
});
