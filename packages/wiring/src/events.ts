import { WEBHOOK_EVENT_TYPES } from '@facet/contracts/webhooks';
import type { QueueDecl, StreamDecl, SubscriptionDecl } from './types.ts';

/**
 * How events travel (DESIGN.md §1): an order write carries its event item (the outbox); the table's stream feeds
 * one publisher that puts each event on the topic; every consumer — the calculation queue included — is an
 * SNS → SQS subscription declared here.
 */

export const streams = {
  /** New event items of the main table → the order-events topic. */
  outbox: {
    table: 'main',
    sortKeyPrefix: 'EVENT#',
    consumer: {
      fn: 'EventPublisher',
      entry: 'lambdas/events/event-publisher.ts',
      batchSize: 100,
      retryAttempts: 10,
    },
  },
} as const satisfies Record<string, StreamDecl>;

export const topics = {
  orderEvents: {},
} as const;

export const queues = {
  /** `order.queued` events: each is one calculation job for the Fargate calculator. */
  calculationJobs: {
    visibilityTimeoutSeconds: 120,
    maxReceiveCount: 3,
    consumer: { kind: 'container', name: 'calculator' },
  },
  emailNotifications: {
    visibilityTimeoutSeconds: 60,
    maxReceiveCount: 3,
    consumer: { kind: 'lambda', fn: 'EmailNotifier', entry: 'lambdas/events/email-notifier.ts', batchSize: 10 },
  },
  /** Order events for B2B webhooks, and the notifier's own delayed retry and replay messages. */
  webhookNotifications: {
    // A batch may wait on several 10 s receivers at once: 180 s allows a 30 s function (6 × rule).
    visibilityTimeoutSeconds: 180,
    maxReceiveCount: 5,
    consumer: { kind: 'lambda', fn: 'WebhookNotifier', entry: 'lambdas/events/webhook-notifier.ts', batchSize: 5 },
  },
  /** Every order event, internal ones included: the operators' board projection. */
  boardProjection: {
    visibilityTimeoutSeconds: 60,
    maxReceiveCount: 5,
    consumer: { kind: 'lambda', fn: 'BoardProjector', entry: 'lambdas/operators/project-board.ts', batchSize: 10 },
  },
} as const satisfies Record<string, QueueDecl>;

export type QueueName = keyof typeof queues;
export type TopicName = keyof typeof topics;
export type StreamName = keyof typeof streams;

export const subscriptions = [
  // A queued order (new, a replaced model, a re-run) is one job; the worker reads the order, so duplicates are safe.
  { topic: 'orderEvents', queue: 'calculationJobs', eventTypes: ['order.queued'] },
  { topic: 'orderEvents', queue: 'emailNotifications', eventTypes: ['order.calculated', 'order.rejected'] },
  // What a company sees: never the internal events (progress, weighing, trees).
  { topic: 'orderEvents', queue: 'webhookNotifications', eventTypes: WEBHOOK_EVENT_TYPES },
  { topic: 'orderEvents', queue: 'boardProjection' },
] as const satisfies readonly (SubscriptionDecl & { topic: TopicName; queue: QueueName })[];
