import type { HostResolver, WebhookRetryQueue, WebhookSender, WebhookStore } from '../ports.ts';

/** What the webhook use cases need, built once per process by adapters' factory. */
export interface WebhookDeps {
  readonly store: WebhookStore;
  readonly resolver: HostResolver;
  /** Local development only: http and private addresses are allowed (the local cloud's receivers). */
  readonly allowPrivateTargets: boolean;
  readonly clock: () => Date;
}

/** The notifier also sends, and schedules retries on its own queue. */
export interface WebhookDeliveryDeps extends WebhookDeps {
  readonly sender: WebhookSender;
  readonly queue: WebhookRetryQueue;
  /** Seconds to wait after each failed attempt (DEFAULT_BACKOFF_SECONDS unless overridden for tests). */
  readonly backoffSeconds: readonly number[];
}
