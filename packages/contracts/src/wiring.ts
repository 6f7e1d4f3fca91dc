/**
 * The one wiring declaration (DESIGN.md §3): every route, queue, subscription, table and bucket is declared here,
 * once. The CDK constructs (lib/) build AWS resources from it; the local cloud (local/) builds its router, pollers
 * and emulator resources from it. test/infra/wiring-parity.test.ts proves both serve the same thing.
 */

/** Who calls a route; each audience has its own authorizer and middleware bundle. */
export type Audience = 'clients' | 'public';

export interface RouteDecl {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** API Gateway path syntax: `{name}` for a path parameter. */
  readonly path: string;
  readonly audience: Audience;
  /** Logical function name; also the CDK construct id. */
  readonly fn: string;
  /** Handler module, relative to the repository root; it exports `handler`. */
  readonly entry: string;
}

export interface QueueDecl {
  /** Seconds a received message stays invisible; must exceed the consumer's heartbeat/processing time. */
  readonly visibilityTimeoutSeconds: number;
  /** Receives before a message moves to the queue's DLQ. */
  readonly maxReceiveCount: number;
  /** Who consumes it: a Lambda function (with its SQS event source) or the calculator container. */
  readonly consumer:
    | { readonly kind: 'lambda'; readonly fn: string; readonly entry: string; readonly batchSize: number }
    | { readonly kind: 'container'; readonly name: 'calculator' };
}

export interface SubscriptionDecl {
  readonly topic: keyof typeof topics;
  readonly queue: keyof typeof queues;
  /** SNS filter policy on the `type` message attribute; omitted means every event. */
  readonly eventTypes?: readonly string[];
}

export const tables = {
  /** Single table: orders, tenants, API keys, idempotency records, read models. Keys carry the tenant. */
  main: {
    partitionKey: 'pk',
    sortKey: 'sk',
    ttlAttribute: 'expiresAt',
    indexes: [{ name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' }],
  },
} as const;

export const buckets = {
  /** Uploaded models (multipart, presigned), reports and thumbnails, under `tenants/{tenant}/orders/{order}/`. */
  models: { corsExposeHeaders: ['ETag'], abortIncompleteUploadAfterDays: 1 },
} as const;

export const topics = {
  orderEvents: {},
} as const;

export const queues = {
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
} as const satisfies Record<string, QueueDecl>;

export const subscriptions = [
  { topic: 'orderEvents', queue: 'emailNotifications', eventTypes: ['order.calculated', 'order.rejected'] },
  { topic: 'orderEvents', queue: 'webhookNotifications' },
] as const satisfies readonly SubscriptionDecl[];

export const authorizers = {
  clients: { fn: 'ClientsAuthorizer', entry: 'lambdas/clients/authorizer.ts', identityHeader: 'x-api-key' },
} as const;

export const routes = [
  {
    method: 'POST',
    path: '/v1/orders',
    audience: 'clients',
    fn: 'CreateOrder',
    entry: 'lambdas/clients/create-order.ts',
  },
  {
    method: 'GET',
    path: '/v1/orders/{orderId}',
    audience: 'clients',
    fn: 'GetOrder',
    entry: 'lambdas/clients/get-order.ts',
  },
  {
    method: 'POST',
    path: '/v1/orders/{orderId}/files/{fileId}/complete',
    audience: 'clients',
    fn: 'CompleteUpload',
    entry: 'lambdas/clients/complete-upload.ts',
  },
  {
    method: 'GET',
    path: '/v1/orders',
    audience: 'clients',
    fn: 'ListOrders',
    entry: 'lambdas/clients/list-orders.ts',
  },
  {
    method: 'POST',
    path: '/v1/orders/{orderId}/cancel',
    audience: 'clients',
    fn: 'CancelOrder',
    entry: 'lambdas/clients/cancel-order.ts',
  },
  {
    method: 'POST',
    path: '/v1/orders/{orderId}/confirm',
    audience: 'clients',
    fn: 'ConfirmOrder',
    entry: 'lambdas/clients/confirm-order.ts',
  },
  {
    method: 'GET',
    path: '/v1/orders/{orderId}/files/{fileId}',
    audience: 'clients',
    fn: 'GetUpload',
    entry: 'lambdas/clients/get-upload.ts',
  },
  {
    method: 'POST',
    path: '/v1/orders/{orderId}/files',
    audience: 'clients',
    fn: 'ReplaceModel',
    entry: 'lambdas/clients/replace-model.ts',
  },
  {
    method: 'GET',
    path: '/v1/usage',
    audience: 'clients',
    fn: 'GetUsage',
    entry: 'lambdas/clients/get-usage.ts',
  },
  {
    method: 'GET',
    path: '/v1/openapi.json',
    audience: 'public',
    fn: 'OpenApiDocument',
    entry: 'lambdas/public/openapi-document.ts',
  },
  {
    method: 'GET',
    path: '/docs',
    audience: 'public',
    fn: 'ApiDocsPage',
    entry: 'lambdas/public/api-docs.ts',
  },
  {
    method: 'GET',
    path: '/docs/{asset}',
    audience: 'public',
    fn: 'ApiDocsAsset',
    entry: 'lambdas/public/api-docs.ts',
  },
  {
    method: 'POST',
    path: '/v1/webhooks',
    audience: 'clients',
    fn: 'RegisterWebhook',
    entry: 'lambdas/clients/webhooks-register.ts',
  },
  {
    method: 'GET',
    path: '/v1/webhooks',
    audience: 'clients',
    fn: 'ListWebhooks',
    entry: 'lambdas/clients/webhooks-list.ts',
  },
  {
    method: 'GET',
    path: '/v1/webhooks/{webhookId}',
    audience: 'clients',
    fn: 'GetWebhook',
    entry: 'lambdas/clients/webhooks-get.ts',
  },
  {
    method: 'DELETE',
    path: '/v1/webhooks/{webhookId}',
    audience: 'clients',
    fn: 'DeleteWebhook',
    entry: 'lambdas/clients/webhooks-delete.ts',
  },
  {
    method: 'POST',
    path: '/v1/webhooks/{webhookId}/rotate-secret',
    audience: 'clients',
    fn: 'RotateWebhookSecret',
    entry: 'lambdas/clients/webhooks-rotate-secret.ts',
  },
  {
    method: 'GET',
    path: '/v1/webhooks/{webhookId}/deliveries',
    audience: 'clients',
    fn: 'ListWebhookDeliveries',
    entry: 'lambdas/clients/webhooks-list-deliveries.ts',
  },
  {
    method: 'POST',
    path: '/v1/webhooks/{webhookId}/deliveries/{deliveryId}/replay',
    audience: 'clients',
    fn: 'ReplayWebhookDelivery',
    entry: 'lambdas/clients/webhooks-replay-delivery.ts',
  },
] as const satisfies readonly RouteDecl[];

export type QueueName = keyof typeof queues;
export type TopicName = keyof typeof topics;
