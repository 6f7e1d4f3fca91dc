import { queues } from '@facet/wiring';
import { containerQueueNames } from '@facet/wiring/views';
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { FacetConfig } from '../config.ts';
import { importProvidersStrongly } from '../constructs/references.ts';
import { WorkQueue } from '../constructs/work-queue.ts';
import { attachDataAccess } from '../data/data-access.ts';
import type { DataStack } from '../data/data-stack.ts';
import type { EventsStack } from '../events/events-stack.ts';
import { subscribeQueue } from '../events/queue-subscriptions.ts';
import { CalculatorService, stopTimeout } from './calculator-service.ts';
import { WorkerNetwork } from './worker-network.ts';

export interface CalculationStackProps extends StackProps {
  readonly data: DataStack;
  readonly events: EventsStack;
  readonly worker: FacetConfig['worker'];
  readonly logRetention: RetentionDays;
}

/** The calculation jobs queue (+ DLQ) and the Fargate worker service that consumes it. */
export class CalculationStack extends Stack {
  public readonly jobs: WorkQueue;
  public readonly network: WorkerNetwork;
  public readonly calculator: CalculatorService;

  constructor(scope: Construct, id: string, props: CalculationStackProps) {
    super(scope, id, props);
    importProvidersStrongly(this);
    const [jobsQueueName, ...others] = containerQueueNames;
    if (!jobsQueueName || others.length > 0) {
      throw new Error(
        `Expected exactly one container-consumed queue in the wiring, found: ${containerQueueNames.join(', ')}`,
      );
    }
    this.jobs = new WorkQueue(this, jobsQueueName, { name: jobsQueueName, decl: queues[jobsQueueName] });
    subscribeQueue(
      { orderEvents: props.events.orderEvents.topic },
      jobsQueueName,
      this.jobs.queue,
      props.events.deliveryFailures,
    );

    this.network = new WorkerNetwork(this, 'Network', { logRetention: props.logRetention });
    this.calculator = new CalculatorService(this, 'Calculator', {
      network: this.network,
      jobs: this.jobs.queue,
      environment: {
        TABLE_NAME: props.data.table.table.tableName,
        BUCKET_NAME: props.data.models.bucket.bucketName,
        JOBS_QUEUE_URL: this.jobs.queue.queueUrl,
        WORKER_CONCURRENCY: props.worker.concurrency,
        // Finish or release within Fargate's stop timeout, with 30 s left to release and exit.
        STOP_GRACE_SECONDS: stopTimeout.toSeconds() - 30,
      },
      cpu: props.worker.cpu,
      memoryMiB: props.worker.memoryMiB,
      cpuArchitecture: props.worker.cpuArchitecture,
      scaling: props.worker,
      logRetention: props.logRetention,
    });
    const taskRole = this.calculator.taskDefinition.taskRole;
    // Claims, progress and the result commit; reads the model, writes report, thumbnail and slices.
    // Its results' events go into the same writes (the outbox publishes them): no sns:Publish.
    attachDataAccess(taskRole, props.data.access, { table: 'readWrite', models: 'readWrite' });

    new CfnOutput(this, 'JobsQueueUrl', { value: this.jobs.queue.queueUrl });
    new CfnOutput(this, 'JobsDeadLetterQueueUrl', { value: this.jobs.deadLetterQueue.queueUrl });
  }
}
