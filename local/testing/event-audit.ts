import { SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { type OrderEvent, orderEvent } from '@facet/contracts';
import type { LocalCloud } from '../cloud/cloud.ts';

/**
 * Every event on the order-events topic, raw, into a queue only the test reads (subscribed straight at the
 * emulator): what consumers could have received, duplicates included.
 */
export async function auditEvents(cloud: LocalCloud, name = 'facet-test-audit') {
  const { sqs, sns } = cloud.clients;
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  await sns.send(
    new SubscribeCommand({
      TopicArn: cloud.resources.topicArns.orderEvents,
      Protocol: 'sqs',
      Endpoint: Attributes?.QueueArn,
      Attributes: { RawMessageDelivery: 'true' },
    }),
  );
  const seen: OrderEvent[] = [];
  return {
    seen,
    /** Reads what arrived so far (each message once: the test ends before its visibility lapses). */
    async drain(): Promise<OrderEvent[]> {
      for (;;) {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
        );
        if (Messages.length === 0) return seen;
        for (const m of Messages) seen.push(orderEvent.parse(JSON.parse(m.Body ?? '{}')));
      }
    },
  };
}
