import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { CalculatorService } from '../calculation/calculator-service.ts';

/** What the observability stack watches; assembled by bin/ from the other stacks' public parts. */
export interface Observed {
  readonly api: RestApi;
  /** Every Lambda function, by its logical name in the wiring. */
  readonly functions: readonly { readonly name: string; readonly fn: IFunction }[];
  /** Every work queue with its DLQ, by its wiring name. */
  readonly queues: readonly { readonly name: string; readonly queue: IQueue; readonly deadLetterQueue: IQueue }[];
  /** Dead-letter queues that have no source queue of ours (SNS subscription delivery failures). */
  readonly otherDeadLetterQueues: readonly { readonly name: string; readonly queue: IQueue }[];
  readonly jobs: IQueue;
  /** The outbox publisher (stream → topic) and its on-failure queue. */
  readonly outbox: { readonly fn: IFunction; readonly failures: IQueue };
  readonly calculator: CalculatorService;
}
