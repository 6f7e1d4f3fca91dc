import { queues } from '@facet/wiring';
import type { LambdaConsumerFn, LambdaQueueName } from '@facet/wiring/views';
import { Duration, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FacetFunction } from '../constructs/facet-function.ts';
import { WorkQueue } from '../constructs/work-queue.ts';
import type { DataAccess } from '../data/data-access.ts';
import { attachDataAccess } from '../data/data-access.ts';
import { acknowledge } from '../nag.ts';
import { type NotifierContext, notifiers } from './notifiers.ts';
import type { OrderEventsTopic } from './order-events-topic.ts';
import { subscribeQueue } from './queue-subscriptions.ts';

export interface NotifierProps {
  readonly queueName: LambdaQueueName;
  readonly topic: OrderEventsTopic;
  readonly deliveryFailures: IQueue;
  readonly context: Omit<NotifierContext, 'ownQueueUrl'>;
  readonly access: DataAccess;
  readonly logRetention: RetentionDays;
}

/**
 * One subscribed consumer of the wiring: its queue with a DLQ, the topic subscriptions into it (filter policy on
 * `type`, raw delivery), and the function reading the queue with partial batch responses, holding exactly the
 * access described for it in notifiers.ts.
 */
export class Notifier extends Construct {
  public readonly queueName: LambdaQueueName;
  public readonly queue: WorkQueue;
  public readonly fn: FacetFunction<LambdaConsumerFn>;

  constructor(scope: Construct, id: string, props: NotifierProps) {
    super(scope, id);
    const decl = queues[props.queueName];
    const consumer = decl.consumer;
    const spec = notifiers[consumer.fn];
    this.queueName = props.queueName;

    this.queue = new WorkQueue(this, 'Work', { name: props.queueName, decl });
    subscribeQueue({ orderEvents: props.topic.topic }, props.queueName, this.queue.queue, props.deliveryFailures);

    this.fn = new FacetFunction(this, consumer.fn, {
      fn: consumer.fn,
      entry: consumer.entry,
      environment: spec.environment({ ...props.context, ownQueueUrl: this.queue.queue.queueUrl }),
      invocation: 'sqs',
      logRetention: props.logRetention,
      // AWS guidance for SQS event sources: visibility ≥ 6 × function timeout (retries within one visibility).
      timeout: Duration.seconds(Math.max(3, Math.floor(decl.visibilityTimeoutSeconds / 6))),
    });
    attachDataAccess(this.fn.role, props.access, spec.data);
    if (spec.sendsEmail) {
      this.fn.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['ses:SendEmail'],
          resources: senderIdentityArns(this, props.context.mailFrom),
        }),
      );
    }
    if (spec.sendsToOwnQueue) this.queue.queue.grantSendMessages(this.fn.role);
    this.fn.function.addEventSource(
      new SqsEventSource(this.queue.queue, { batchSize: consumer.batchSize, reportBatchItemFailures: true }),
    );
    acknowledge(this.fn.function, 'sqsEventSourceRedrive');
  }
}

/**
 * The SES identities a send from `mailFrom` may be authorized against. SES checks the verified identity it sends
 * as: the address when the address itself is verified (it wins over its domain), else the domain. Either may be the
 * one verified in the account, so both are granted; a grant naming only the domain fails every send of a verified
 * address with AccessDenied. No configuration set: the mailer names none (a default configuration set assigned to
 * the identity later must be granted here too).
 */
export function senderIdentityArns(scope: Construct, mailFrom: string): string[] {
  const at = mailFrom.lastIndexOf('@');
  if (at < 1 || at === mailFrom.length - 1) throw new Error(`mailFrom is not an email address: ${mailFrom}`);
  const identity = (name: string) =>
    Stack.of(scope).formatArn({ service: 'ses', resource: 'identity', resourceName: name });
  return [identity(mailFrom), identity(mailFrom.slice(at + 1))];
}
