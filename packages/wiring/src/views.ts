import type { FunctionName } from '@facet/contracts/env';
import { type QueueName, queues, subscriptions } from './events.ts';
import type { routes } from './index.ts';

/** Type-level views of the wiring declaration, so maps keyed by them must cover every declared item. */

type ConsumerOf<Q extends QueueName> = (typeof queues)[Q]['consumer'];

export type LambdaQueueName = {
  [Q in QueueName]: ConsumerOf<Q> extends { kind: 'lambda' } ? Q : never;
}[QueueName];
export type ContainerQueueName = Exclude<QueueName, LambdaQueueName>;

export type LambdaConsumerFn = Extract<ConsumerOf<LambdaQueueName>, { kind: 'lambda' }>['fn'] & FunctionName;
export type RouteFn = (typeof routes)[number]['fn'] & FunctionName;

export const lambdaQueueNames = (Object.keys(queues) as QueueName[]).filter(
  (q): q is LambdaQueueName => queues[q].consumer.kind === 'lambda',
);
export const containerQueueNames = (Object.keys(queues) as QueueName[]).filter(
  (q): q is ContainerQueueName => queues[q].consumer.kind === 'container',
);

/** The subscriptions that deliver into one queue. */
export function subscriptionsInto(queue: QueueName) {
  return subscriptions.filter((s) => s.queue === queue);
}

/** Tags naming the wiring entry a resource was built from (read by test/infra/template-wiring.ts and ops tools). */
export const wiringTags = {
  queue: 'facet:queue',
  deadLetterOf: 'facet:dead-letter-of',
  topic: 'facet:topic',
  fn: 'facet:fn',
} as const;
