import { queues } from '@facet/contracts/wiring';
import { Duration, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { FacetFunction } from '../constructs/facet-function.ts';
import { deadLetterRetention, WorkQueue } from '../constructs/work-queue.ts';
import { attachDataAccess } from '../data/data-access.ts';
import type { DataStack } from '../data/data-stack.ts';
import { acknowledge } from '../nag.ts';
import { type LambdaConsumerFn, type LambdaQueueName, lambdaQueueNames, wiringTags } from '../wiring-types.ts';
import { notifiers } from './notifiers.ts';
import { OrderEventsTopic } from './order-events-topic.ts';
import { subscribeQueue } from './queue-subscriptions.ts';

export interface EventsStackProps extends StackProps {
  readonly data: DataStack;
  readonly mailFrom: string;
  readonly logRetention: RetentionDays;
}

/** A notifier: its queue (+ DLQ) and the Lambda that consumes it. */
export interface Notifier {
  readonly queueName: LambdaQueueName;
  readonly queue: WorkQueue;
  readonly fn: FacetFunction<LambdaConsumerFn>;
}

/**
 * The order-events topic and its fan-out: per subscribed Lambda consumer in the wiring, an SQS queue with a DLQ,
 * the subscription with its filter policy, and the notifier function reading the queue with partial batch
 * responses.
 */
export class EventsStack extends Stack {
  public readonly orderEvents: OrderEventsTopic;
  /** Where SNS puts messages it could not deliver to a subscribed queue. */
  public readonly deliveryFailures: Queue;
  public readonly notifiers: readonly Notifier[];

  constructor(scope: Construct, id: string, props: EventsStackProps) {
    super(scope, id, props);
    this.orderEvents = new OrderEventsTopic(this, 'OrderEvents');
    this.deliveryFailures = new Queue(this, 'DeliveryFailures', {
      retentionPeriod: deadLetterRetention,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    acknowledge(this.deliveryFailures, 'subscriptionDeadLetterQueue');
    // Listed by `npm run dlq -- list` like every DLQ; it has no source queue to redrive into (see the runbook).
    Tags.of(this.deliveryFailures).add(wiringTags.deadLetterOf, 'subscriptions:orderEvents');

    const mailDomain = props.mailFrom.split('@')[1] ?? props.mailFrom;
    this.notifiers = lambdaQueueNames.map((queueName) => {
      const decl = queues[queueName];
      const consumer = decl.consumer;
      const spec = notifiers[consumer.fn];
      const queue = new WorkQueue(this, queueName, { name: queueName, decl });
      subscribeQueue({ orderEvents: this.orderEvents.topic }, queueName, queue.queue, this.deliveryFailures);

      const fn = new FacetFunction(this, consumer.fn, {
        fn: consumer.fn,
        entry: consumer.entry,
        environment: spec.environment({
          tableName: props.data.table.table.tableName,
          bucketName: props.data.models.bucket.bucketName,
          mailFrom: props.mailFrom,
        }),
        invocation: 'sqs',
        logRetention: props.logRetention,
        // AWS guidance for SQS event sources: visibility ≥ 6 × function timeout (retries within one visibility).
        timeout: Duration.seconds(Math.max(3, Math.floor(decl.visibilityTimeoutSeconds / 6))),
      });
      attachDataAccess(fn.role, props.data.access, spec.data);
      if (spec.sendsEmail) {
        fn.role.addToPrincipalPolicy(
          new PolicyStatement({
            actions: ['ses:SendEmail'],
            resources: [this.formatArn({ service: 'ses', resource: 'identity', resourceName: mailDomain })],
          }),
        );
      }
      const source = new SqsEventSource(queue.queue, { batchSize: consumer.batchSize, reportBatchItemFailures: true });
      fn.function.addEventSource(source);
      acknowledge(fn.function, 'sqsEventSourceRedrive');
      return { queueName, queue, fn };
    });
  }
}
