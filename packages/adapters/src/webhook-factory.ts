import type { WebhookNotifierEnv, WebhooksApiEnv } from '@facet/contracts';
import { DEFAULT_BACKOFF_SECONDS } from '@facet/domain/webhooks/backoff';
import type { WebhookDeliveryDeps, WebhookDeps } from '@facet/domain/webhooks/deps';
import { dynamoClient, sqsClient } from './aws-clients.ts';
import { DynamoWebhookStore } from './dynamo-webhook-store.ts';
import { DnsHostResolver, FetchWebhookSender, SqsWebhookRetryQueue } from './webhook-http.ts';

/** Webhook ports meet their implementations here (beside factory.ts, which builds the order side). */

/** The /v1/webhooks routes: the store, target checks, and the queue replays go to. */
export function webhookApiDeps(env: WebhooksApiEnv): WebhookDeps & { queue: SqsWebhookRetryQueue } {
  return {
    store: new DynamoWebhookStore(dynamoClient(), env.TABLE_NAME),
    resolver: new DnsHostResolver(),
    allowPrivateTargets: env.WEBHOOK_ALLOW_PRIVATE_TARGETS,
    clock: () => new Date(),
    queue: new SqsWebhookRetryQueue(sqsClient(), env.WEBHOOK_QUEUE_URL),
  };
}

/** The webhook notifier: everything above plus the HTTP sender and the backoff schedule. */
export function webhookDeliveryDeps(env: WebhookNotifierEnv): WebhookDeliveryDeps {
  return {
    ...webhookApiDeps(env),
    sender: new FetchWebhookSender(),
    backoffSeconds: env.WEBHOOK_BACKOFF_SECONDS ?? DEFAULT_BACKOFF_SECONDS,
  };
}

export function webhookStore(tableName: string) {
  return new DynamoWebhookStore(dynamoClient(), tableName);
}
