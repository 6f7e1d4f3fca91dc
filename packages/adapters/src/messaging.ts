import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { OrderEvent } from '@facet/contracts';
import type { EventBus } from '@facet/domain/ports';

/** Publishes with `type` as a message attribute, so subscriptions filter without parsing bodies. */
export class SnsEventBus implements EventBus {
  constructor(
    private readonly sns: SNSClient,
    private readonly topicArn: string,
  ) {}

  async publish(event: OrderEvent): Promise<void> {
    await this.sns.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Message: JSON.stringify(event),
        MessageAttributes: { type: { DataType: 'String', StringValue: event.type } },
      }),
    );
  }
}
