import { type LambdaQueueName, lambdaQueueNames, wiringTags } from '@facet/wiring/views';
import { Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { importProvidersStrongly } from '../constructs/references.ts';
import { deadLetterRetention } from '../constructs/work-queue.ts';
import type { DataStack } from '../data/data-stack.ts';
import { acknowledge } from '../nag.ts';
import { Notifier } from './notifier.ts';
import { OrderEventsTopic } from './order-events-topic.ts';
import { OutboxPublisher } from './outbox-publisher.ts';

export interface EventsStackProps extends StackProps {
  readonly data: DataStack;
  readonly mailFrom: string;
  readonly logRetention: RetentionDays;
}

/**
 * The order-events topic, the outbox publisher that feeds it from the table's stream, and its fan-out: one Notifier (queue + DLQ + subscription + function) per Lambda-consumed
 * queue in the wiring, and the DLQ of the subscriptions themselves.
 */
export class EventsStack extends Stack {
  public readonly orderEvents: OrderEventsTopic;
  /** Where SNS puts messages it could not deliver to a subscribed queue. */
  public readonly deliveryFailures: Queue;
  public readonly notifiers: readonly Notifier[];
  /** The outbox: the table's stream → the order-events topic. */
  public readonly outbox: OutboxPublisher;

  constructor(scope: Construct, id: string, props: EventsStackProps) {
    super(scope, id, props);
    importProvidersStrongly(this);
    this.orderEvents = new OrderEventsTopic(this, 'OrderEvents');
    this.deliveryFailures = new Queue(this, 'DeliveryFailures', {
      retentionPeriod: deadLetterRetention,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    acknowledge(this.deliveryFailures, 'subscriptionDeadLetterQueue');
    // Listed by `npm run dlq -- list` like every DLQ; it has no source queue to redrive into (see the runbook).
    Tags.of(this.deliveryFailures).add(wiringTags.deadLetterOf, 'subscriptions:orderEvents');

    // Here, not in Data: Data holds only state; the publisher needs the table's stream (Data) and the topic (here),
    // and Events already depends on Data (docs/adr/0003).
    this.outbox = new OutboxPublisher(this, 'Outbox', {
      table: props.data.table.table,
      topic: this.orderEvents,
      logRetention: props.logRetention,
    });

    this.notifiers = lambdaQueueNames.map(
      (queueName) =>
        new Notifier(this, queueName, {
          queueName,
          topic: this.orderEvents,
          deliveryFailures: this.deliveryFailures,
          context: {
            tableName: props.data.table.table.tableName,
            bucketName: props.data.models.bucket.bucketName,
            mailFrom: props.mailFrom,
          },
          access: props.data.access,
          logRetention: props.logRetention,
        }),
    );
  }

  /** The work queue of a Lambda-consumed queue in the wiring (e.g. for handlers that send to it). */
  queueOf(name: LambdaQueueName): Queue {
    const notifier = this.notifiers.find((n) => n.queueName === name);
    if (!notifier) throw new Error(`no notifier for queue ${name}`);
    return notifier.queue.queue;
  }
}
