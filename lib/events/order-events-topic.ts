import type { TopicName } from '@facet/wiring';
import { wiringTags } from '@facet/wiring/views';
import { Tags } from 'aws-cdk-lib';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Alias } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/**
 * The order-events topic (`topics.orderEvents`): encrypted with the AWS-managed SNS key (publishers and SQS
 * subscriptions need no key policy of ours) and TLS-only.
 */
export class OrderEventsTopic extends Construct {
  public readonly topic: Topic;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', {
      masterKey: Alias.fromAliasName(this, 'AwsManagedSnsKey', 'alias/aws/sns'),
      enforceSSL: true,
    });
    Tags.of(this.topic).add(wiringTags.topic, 'orderEvents' satisfies TopicName);
  }

  /**
   * sns:Publish on this topic only. No KMS statement: the AWS-managed key's policy already lets principals of this
   * account use it through SNS (topic.grantPublish would add kms:GenerateDataKey* on key/* for an imported alias).
   */
  grantPublish(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['sns:Publish'], resources: [this.topic.topicArn] }),
    );
  }
}
