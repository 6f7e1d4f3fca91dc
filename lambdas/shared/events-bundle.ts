import {
  type BasePartialBatchProcessor,
  BatchProcessor,
  EventType,
  processPartialResponse,
} from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { OrderEvent } from '@facet/contracts';
import middy from '@middy/core';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent, SQSEvent, SQSRecord } from 'aws-lambda';
import { logger, metrics } from './observability.ts';

/** The log keys of an order event: one correlation id from the API request to the last notification. */
export const eventKeys = (event: OrderEvent) => ({
  correlationId: event.correlationId,
  tenantId: event.tenantId,
  orderId: event.orderId,
  eventId: event.id,
});

/** What a record handler gets besides its parsed record: a logger carrying that record's keys only. */
export interface RecordContext {
  readonly log: Logger;
}

export interface RecordHandler<R, T> {
  /** Validates the record (zod); a record that does not parse fails alone and goes to the DLQ in the end. */
  readonly parse: (record: R) => T;
  /** The keys every log line about this record carries (correlation id, order, event). */
  readonly keys: (item: T) => Record<string, unknown>;
  readonly handle: (item: T, ctx: RecordContext) => Promise<void>;
}

/**
 * The event bundle (STYLE §3): Lambda context and reset keys per invocation, metrics flushed at the end, records
 * validated one by one, each handled with a child logger of its own (records of a batch never share log keys),
 * and partial batch responses, so only the records that failed come back.
 */
function batchHandler<E extends { Records: R[] }, R>(
  type: (typeof EventType)[keyof typeof EventType],
  handler: RecordHandler<R, unknown>,
  options: { inParallel: boolean },
) {
  const processor: BasePartialBatchProcessor = new BatchProcessor(type);
  return middy<E>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .handler(async (event: E, context: Context) => {
      const response = await processPartialResponse(
        event as never,
        async (record: R) => {
          const item = handler.parse(record);
          await handler.handle(item, { log: logger.createChild({ persistentKeys: handler.keys(item) }) });
        },
        processor,
        { context, processInParallel: options.inParallel },
      );
      const failed = response.batchItemFailures.length;
      metrics.addMetric('RecordsSucceeded', MetricUnit.Count, event.Records.length - failed);
      metrics.addMetric('RecordsFailed', MetricUnit.Count, failed);
      return response;
    });
}

/** An SQS-driven handler (notifiers, projections): records of a batch run side by side. */
export const sqsRecordHandler = <T>(handler: RecordHandler<SQSRecord, T>) =>
  batchHandler<SQSEvent, SQSRecord>(EventType.SQS, handler as RecordHandler<SQSRecord, unknown>, { inParallel: true });

/** A DynamoDB-stream handler: records in stream order, one after the other (per-item order is kept). */
export const streamRecordHandler = <T>(handler: RecordHandler<DynamoDBRecord, T>) =>
  batchHandler<DynamoDBStreamEvent, DynamoDBRecord>(
    EventType.DynamoDBStreams,
    handler as RecordHandler<DynamoDBRecord, unknown>,
    { inParallel: false },
  );
