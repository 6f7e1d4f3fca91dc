import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { acknowledge } from '../nag.ts';

export interface AlarmTopicProps {
  readonly email?: string;
}

/**
 * Where alarms go. Encrypted with a customer-managed key (rotated) because CloudWatch cannot publish to a topic
 * under the AWS-managed SNS key; the key lets only CloudWatch use it for this purpose.
 */
export class AlarmTopic extends Construct {
  public readonly topic: Topic;
  public readonly key: Key;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    this.key = new Key(this, 'Key', { enableKeyRotation: true, description: 'Facet alarm topic encryption' });
    this.key.addToResourcePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
      }),
    );
    this.topic = new Topic(this, 'Topic', { masterKey: this.key, enforceSSL: true });
    if (props.email) {
      acknowledge(this.topic.addSubscription(new EmailSubscription(props.email)), 'alarmEmailSubscription');
    }
  }
}
