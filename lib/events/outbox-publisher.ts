import { streams } from '@facet/wiring';
import { wiringTags } from '@facet/wiring/views';
import { Duration, Tags } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FacetFunction } from '../constructs/facet-function.ts';
import { deadLetterRetention } from '../constructs/work-queue.ts';
import { acknowledge } from '../nag.ts';
import type { OrderEventsTopic } from './order-events-topic.ts';

export interface OutboxPublisherProps {
  /** The table whose stream carries the event items (`streams.outbox.table`). */
  readonly table: ITable;
  readonly topic: OrderEventsTopic;
  readonly logRetention: RetentionDays;
}

/**
 * Stream records older than this are given up and land in the failure queue. Well inside the stream's 24 h
 * retention, so the failure queue's pointers (shard, sequence numbers) can still be read back from the stream for
 * hours; the event item itself stays in the table either way (docs/runbooks/outbox-failures.md).
 */
export const maxRecordAge = Duration.hours(6);

/** The outbox's failure queue name in `npm run dlq` (it has no source queue: its messages point into the stream). */
export const outboxDeadLetterName = 'streams:outbox';

/**
 * The transactional outbox on AWS (`streams.outbox`): the publisher function reads the table's stream, only new
 * event items (INSERT whose new image's sort key starts with the declared prefix; updates, TTL deletions and every
 * other item are filtered out before it is invoked), and publishes each to the order-events topic. One batch per
 * shard at a time (parallelization 1), so an order's events keep their order; a failing batch is retried, halved
 * on each failure (bisect), with partial batch responses, up to the declared attempts or `maxRecordAge`, then its
 * description goes to the failure queue. The function may publish to the topic and read the stream, nothing else.
 */
export class OutboxPublisher extends Construct {
  public readonly fn: FacetFunction<'EventPublisher'>;
  /** On-failure destination: one message per batch given up (metadata: shard, sequence numbers), not the events. */
  public readonly failures: Queue;

  constructor(scope: Construct, id: string, props: OutboxPublisherProps) {
    super(scope, id);
    const decl = streams.outbox;
    const consumer = decl.consumer;

    this.failures = new Queue(this, 'Failures', {
      retentionPeriod: deadLetterRetention,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    acknowledge(this.failures, 'streamFailureQueue');
    // Listed by `npm run dlq -- list` and alarmed like every DLQ; it has no source queue to redrive into.
    Tags.of(this.failures).add(wiringTags.deadLetterOf, outboxDeadLetterName);

    this.fn = new FacetFunction(this, consumer.fn, {
      fn: consumer.fn,
      entry: consumer.entry,
      environment: { EVENTS_TOPIC_ARN: props.topic.topic.topicArn },
      invocation: 'stream',
      logRetention: props.logRetention,
      memorySize: 256,
      // A full batch is up to 100 publishes one after the other (order kept).
      timeout: Duration.seconds(30),
    });
    props.topic.grantPublish(this.fn.role);

    this.fn.function.addEventSource(
      new DynamoEventSource(props.table, {
        // At least once: a mapping created or re-created later still reads what the stream holds (consumers dedupe
        // on the event id), instead of skipping what was written before it existed.
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: consumer.batchSize,
        retryAttempts: consumer.retryAttempts,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        maxRecordAge,
        parallelizationFactor: 1,
        onFailure: new SqsDlq(this.failures),
        filters: [
          FilterCriteria.filter({
            eventName: FilterRule.isEqual('INSERT'),
            dynamodb: { NewImage: { sk: { S: FilterRule.beginsWith(decl.sortKeyPrefix) } } },
          }),
        ],
      }),
    );
  }
}
