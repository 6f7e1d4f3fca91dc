import type { FunctionEnvInput } from '@facet/contracts/env';
import type { LambdaConsumerFn } from '@facet/wiring/views';
import type { DataNeeds } from '../data/data-access.ts';

/** What a notifier's environment is built from. */
export interface NotifierContext {
  readonly tableName: string;
  readonly bucketName: string;
  readonly mailFrom: string;
  /** The URL of the notifier's own queue (for notifiers that send to it). */
  readonly ownQueueUrl: string;
}

export interface NotifierSpec<F extends LambdaConsumerFn> {
  readonly environment: (ctx: NotifierContext) => FunctionEnvInput<F>;
  readonly data: DataNeeds;
  /** Sends email through SES as `mailFrom` (its address or its domain identity, whichever is verified). */
  readonly sendsEmail: boolean;
  /** Sends messages to its own queue (delayed retries). */
  readonly sendsToOwnQueue?: boolean;
}

/**
 * One entry per Lambda consumer in the wiring (the mapped type makes a new consumer a compile error until it is
 * described here): its environment and exactly what it may touch.
 */
export const notifiers: { readonly [F in LambdaConsumerFn]: NotifierSpec<F> } = {
  EmailNotifier: {
    environment: (ctx) => ({
      TABLE_NAME: ctx.tableName,
      BUCKET_NAME: ctx.bucketName,
      MAIL_TRANSPORT: 'ses',
      MAIL_FROM: ctx.mailFrom,
    }),
    // Reads the order and tenant, records the event id for dedupe, signs a link to the report.
    data: { table: 'readWrite', models: 'read' },
    sendsEmail: true,
  },
  WebhookNotifier: {
    environment: (ctx) => ({ TABLE_NAME: ctx.tableName, WEBHOOK_QUEUE_URL: ctx.ownQueueUrl }),
    // Reads endpoints, writes deliveries; POSTs to company endpoints on the internet (no AWS permission needed).
    data: { table: 'readWrite' },
    sendsEmail: false,
    // Retries are its own queue's messages, delayed until the attempt is due.
    sendsToOwnQueue: true,
  },
  BoardProjector: {
    environment: (ctx) => ({ TABLE_NAME: ctx.tableName }),
    // Reads orders, their events and companies; writes the board's cards and version.
    data: { table: 'readWrite' },
    sendsEmail: false,
  },
};
