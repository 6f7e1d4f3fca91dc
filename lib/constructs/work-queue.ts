import type { QueueDecl, QueueName } from '@facet/wiring';
import { wiringTags } from '@facet/wiring/views';
import { Duration, Tags } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge } from '../nag.ts';

/** How long a message may wait in a work queue; its DLQ keeps messages longer, so nothing expires on redrive. */
export const sourceRetention = Duration.days(4);
export const deadLetterRetention = Duration.days(14);

export interface WorkQueueProps {
  readonly name: QueueName;
  readonly decl: QueueDecl;
}

/**
 * A queue from the wiring declaration with its dead-letter queue: visibility and maxReceiveCount from the
 * declaration, SSE-SQS encryption and TLS-only access on both, and a DLQ that retains longer than the source.
 */
export class WorkQueue extends Construct {
  /** The queue's name in the wiring. */
  public readonly name: QueueName;
  public readonly queue: Queue;
  public readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: WorkQueueProps) {
    super(scope, id);
    this.name = props.name;
    this.deadLetterQueue = new Queue(this, 'Dlq', {
      retentionPeriod: deadLetterRetention,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    acknowledge(this.deadLetterQueue, 'deadLetterQueue');
    this.queue = new Queue(this, 'Queue', {
      visibilityTimeout: Duration.seconds(props.decl.visibilityTimeoutSeconds),
      retentionPeriod: sourceRetention,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.decl.maxReceiveCount },
    });
    Tags.of(this.queue).add(wiringTags.queue, props.name);
    Tags.of(this.deadLetterQueue).add(wiringTags.deadLetterOf, props.name);
  }
}
