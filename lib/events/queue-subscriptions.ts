import type { QueueName } from '@facet/wiring';
import { subscriptionsInto } from '@facet/wiring/views';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { SubscriptionFilter } from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';

/**
 * Subscribes a queue to the topic once per declared subscription. Raw message delivery is ON: the SQS body is the
 * event JSON itself (no SNS envelope), and the `type` message attribute arrives as an SQS message attribute.
 * The filter policy allows exactly the declared `eventTypes` on the `type` attribute. Messages SNS cannot deliver
 * go to `deliveryDlq`.
 */
export function subscribeQueue(
  topics: { readonly orderEvents: ITopic },
  queueName: QueueName,
  queue: IQueue,
  deliveryDlq: IQueue,
): void {
  for (const sub of subscriptionsInto(queueName)) {
    const eventTypes: readonly string[] | undefined = 'eventTypes' in sub ? sub.eventTypes : undefined;
    topics[sub.topic].addSubscription(
      new SqsSubscription(queue, {
        rawMessageDelivery: true,
        deadLetterQueue: deliveryDlq,
        ...(eventTypes
          ? { filterPolicy: { type: SubscriptionFilter.stringFilter({ allowlist: [...eventTypes] }) } }
          : {}),
      }),
    );
  }
}
