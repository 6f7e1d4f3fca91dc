import type { RouteFn } from '@facet/wiring/views';
import type { DataNeeds } from '../data/data-access.ts';

export interface RouteAccess {
  readonly data: DataNeeds;
  /** Sends calculation jobs. */
  readonly jobs: boolean;
  /** Publishes order events. */
  readonly events: boolean;
  /** Files the handler serves, copied next to its bundle. */
  readonly assets?: readonly string[];
  /**
   * A /v1/webhooks handler (its environment is webhooksApiEnv); `replay` may also send to the webhook notifier's
   * queue.
   */
  readonly webhooks?: 'manage' | 'replay';
  /** Reads the clients usage plan and its keys' usage from API Gateway. */
  readonly usagePlan?: boolean;
}

/**
 * Least privilege per route handler, one entry per `fn` in the wiring's routes (the mapped type makes a new route
 * a compile error until its access is decided here).
 */
export const routeAccess: { readonly [F in RouteFn]: RouteAccess } = {
  // Writes the order and idempotency record, starts the multipart upload and signs part URLs, emits order.created.
  CreateOrder: { data: { table: 'readWrite', models: 'write' }, jobs: false, events: true },
  // Reads the order, signs a short-lived link to the report.
  GetOrder: { data: { table: 'read', models: 'read' }, jobs: false, events: false },
  // Completes the upload, sniffs the file's first bytes, queues the job, emits the transition event.
  CompleteUpload: { data: { table: 'readWrite', models: 'readWrite' }, jobs: true, events: true },
  // Queries the orders index; reads (and on first use creates) the cursor signing key.
  ListOrders: { data: { table: 'readWrite' }, jobs: false, events: false },
  // Moves the order to cancelled, records the idempotency key, emits order.cancelled.
  CancelOrder: { data: { table: 'readWrite' }, jobs: false, events: true },
  // Re-prices an expired quote, confirms, records the idempotency key, emits order.confirmed.
  ConfirmOrder: { data: { table: 'readWrite' }, jobs: false, events: true },
  // Starts the new model's multipart upload, signs part URLs, emits order.model-replaced.
  ReplaceModel: { data: { table: 'readWrite', models: 'write' }, jobs: false, events: true },
  // Reads the order, lists the stored parts (s3:ListMultipartUploadParts), signs fresh part URLs.
  GetUpload: { data: { table: 'read', models: 'write' }, jobs: false, events: false },
  // Reads the usage plan and the calling key's usage (apigateway:GET on the plan only).
  GetUsage: { data: {}, jobs: false, events: false, usagePlan: true },
  // The API description and its docs page: static, no data at all.
  OpenApiDocument: { data: {}, jobs: false, events: false },
  ApiDocsPage: { data: {}, jobs: false, events: false },
  // Alloys, rules and the report schema, built from constants in the code: no data.
  ApiReference: { data: {}, jobs: false, events: false },
  ApiDocsAsset: {
    data: {},
    jobs: false,
    events: false,
    assets: ['node_modules/swagger-ui-dist/swagger-ui.css', 'node_modules/swagger-ui-dist/swagger-ui-bundle.js'],
  },
  // Webhook endpoints and deliveries under the tenant's key; registering resolves the URL's host (no AWS call).
  RegisterWebhook: { data: { table: 'readWrite' }, jobs: false, events: false, webhooks: 'manage' },
  ListWebhooks: { data: { table: 'read' }, jobs: false, events: false, webhooks: 'manage' },
  GetWebhook: { data: { table: 'read' }, jobs: false, events: false, webhooks: 'manage' },
  DeleteWebhook: { data: { table: 'readWrite' }, jobs: false, events: false, webhooks: 'manage' },
  RotateWebhookSecret: { data: { table: 'readWrite' }, jobs: false, events: false, webhooks: 'manage' },
  ListWebhookDeliveries: { data: { table: 'read' }, jobs: false, events: false, webhooks: 'manage' },
  // Marks the delivery pending and queues its attempt on the webhook notifier's queue.
  ReplayWebhookDelivery: { data: { table: 'readWrite' }, jobs: false, events: false, webhooks: 'replay' },
};
