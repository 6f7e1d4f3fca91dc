import type { RouteFn } from '@facet/wiring/views';
import type { DataNeeds } from '../data/data-access.ts';

/**
 * No route sends calculation jobs or publishes events: an order write carries its event in the same transaction
 * (the outbox), and the stream publisher puts it on the topic, from which the jobs queue is subscribed.
 */
export interface RouteAccess {
  readonly data: DataNeeds;
  /** Files the handler serves, copied next to its bundle. */
  readonly assets?: readonly string[];
  /**
   * A /v1/webhooks handler (its environment is webhooksApiEnv); `replay` may also send to the webhook notifier's
   * queue.
   */
  readonly webhooks?: 'manage' | 'replay';
  /** Reads the clients usage plan and its keys' usage from API Gateway. */
  readonly usagePlan?: boolean;
  /** An /ops handler (its environment is operatorsApiEnv), with what it may do beyond the data plane. */
  readonly operators?: {
    /** Peeks at the calculation jobs' dead-letter queue (receive with visibility 0, never delete). */
    readonly peeksDeadLetters?: boolean;
    /** Creates company keys on the clients' usage plan and disables them (API Gateway keys). */
    readonly gatewayKeys?: boolean;
  };
}

/**
 * Least privilege per route handler, one entry per `fn` in the wiring's routes (the mapped type makes a new route
 * a compile error until its access is decided here).
 */
export const routeAccess: { readonly [F in RouteFn]: RouteAccess } = {
  // Writes the order (with its order.created event item) and idempotency record, starts the multipart upload and
  // signs part URLs.
  CreateOrder: { data: { table: 'readWrite', models: 'write' } },
  // Reads the order, signs a short-lived link to the report.
  GetOrder: { data: { table: 'read', models: 'read' } },
  // Completes the upload, sniffs the file's first bytes, writes the order as queued with its order.queued event.
  CompleteUpload: { data: { table: 'readWrite', models: 'readWrite' } },
  // Queries the orders index; reads (and on first use creates) the cursor signing key.
  ListOrders: { data: { table: 'readWrite' } },
  // Moves the order to cancelled (with its order.cancelled event item), records the idempotency key.
  CancelOrder: { data: { table: 'readWrite' } },
  // Re-prices an expired quote, confirms (with its order.confirmed event item), records the idempotency key.
  ConfirmOrder: { data: { table: 'readWrite' } },
  // Starts the new model's multipart upload, signs part URLs, writes the order with order.model-replaced.
  ReplaceModel: { data: { table: 'readWrite', models: 'write' } },
  // Reads the order, lists the stored parts (s3:ListMultipartUploadParts), signs fresh part URLs.
  GetUpload: { data: { table: 'read', models: 'write' } },
  // Reads the usage plan and the calling key's usage (apigateway:GET on the plan only).
  GetUsage: { data: {}, usagePlan: true },
  // The API description and its docs page: static, no data at all.
  OpenApiDocument: { data: {} },
  ApiDocsPage: { data: {} },
  // Alloys, rules and the report schema, built from constants in the code: no data.
  ApiReference: { data: {} },
  ApiDocsAsset: {
    data: {},
    assets: ['node_modules/swagger-ui-dist/swagger-ui.css', 'node_modules/swagger-ui-dist/swagger-ui-bundle.js'],
  },
  // Webhook endpoints and deliveries under the tenant's key; registering resolves the URL's host (no AWS call).
  RegisterWebhook: { data: { table: 'readWrite' }, webhooks: 'manage' },
  ListWebhooks: { data: { table: 'read' }, webhooks: 'manage' },
  GetWebhook: { data: { table: 'read' }, webhooks: 'manage' },
  DeleteWebhook: { data: { table: 'readWrite' }, webhooks: 'manage' },
  RotateWebhookSecret: { data: { table: 'readWrite' }, webhooks: 'manage' },
  ListWebhookDeliveries: { data: { table: 'read' }, webhooks: 'manage' },
  // Marks the delivery pending and queues its attempt on the webhook notifier's queue.
  ReplayWebhookDelivery: { data: { table: 'readWrite' }, webhooks: 'replay' },
  // The operator comes from the authorizer's context: no data.
  OperatorsMe: { data: {}, operators: {} },
  // The projection's version and cards: a bounded number of queries, never the orders themselves.
  OperatorsBoard: { data: { table: 'read' }, operators: {} },
  // The order, its audit log and job; signs links to the model, the repaired model and the report.
  OperatorsOrder: { data: { table: 'read', models: 'read' }, operators: {} },
  // Each action is one transition of the order with its event item (the outbox publishes it).
  OperatorsOrderAction: { data: { table: 'readWrite' }, operators: {} },
  OperatorsBulkAction: { data: { table: 'readWrite' }, operators: {} },
  // Reads the cards on screen, signs their thumbnails.
  OperatorsThumbnails: { data: { table: 'read', models: 'read' }, operators: {} },
  OperatorsAttention: { data: { table: 'read' }, operators: { peeksDeadLetters: true } },
  OperatorsTrees: { data: { table: 'read' }, operators: {} },
  // A tree and its orders change together (one transaction, an event per order).
  OperatorsCreateTree: { data: { table: 'readWrite' }, operators: {} },
  OperatorsAdvanceTree: { data: { table: 'readWrite' }, operators: {} },
  OperatorsCompanies: { data: { table: 'read' }, operators: {} },
  OperatorsCreateCompany: { data: { table: 'readWrite' }, operators: {} },
  OperatorsIssueKey: { data: { table: 'readWrite' }, operators: { gatewayKeys: true } },
  OperatorsRevokeKey: { data: { table: 'readWrite' }, operators: { gatewayKeys: true } },
};
