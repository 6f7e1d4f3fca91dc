import { z } from 'zod';

/**
 * Webhooks of the Clients API (`/v1/webhooks`): a company registers endpoints and receives signed deliveries as its
 * orders move. Signing follows the Standard Webhooks specification (standardwebhooks.com): headers `webhook-id`,
 * `webhook-timestamp` and `webhook-signature` (`v1,<base64 HMAC-SHA256 of "id.timestamp.body">`).
 */

/** Every order event a company can subscribe to (the domain's transition table emits exactly these). */
export const WEBHOOK_EVENT_TYPES = [
  'order.created',
  'order.model-replaced',
  'order.queued',
  'order.calculating',
  'order.calculated',
  'order.rejected',
  'order.failed',
  'order.confirmed',
  'order.in-production',
  'order.stage-changed',
  'order.held',
  'order.resumed',
  'order.shipped',
  'order.delivered',
  'order.cancelled',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** `*` subscribes to every event type, including ones added later. */
export const ALL_WEBHOOK_EVENTS = '*';

/** Endpoints a company may register; deliveries fan out to each, so the number stays small. */
export const MAX_WEBHOOK_ENDPOINTS = 20;

export const webhookEventSelector = z.enum([...WEBHOOK_EVENT_TYPES, ALL_WEBHOOK_EVENTS]).meta({
  id: 'WebhookEventSelector',
  description: 'An order event type, or `*` for every event type (also those added later).',
});

export const registerWebhookRequest = z
  .strictObject({
    url: z
      .url()
      .max(2048)
      .describe('HTTPS URL on the public internet; no credentials in it. Private and loopback addresses are refused.'),
    events: z
      .array(webhookEventSelector)
      .min(1)
      .max(WEBHOOK_EVENT_TYPES.length)
      .refine((e) => new Set(e).size === e.length, 'must not repeat an event type')
      .refine((e) => !e.includes(ALL_WEBHOOK_EVENTS) || e.length === 1, '`*` must be the only entry')
      .describe('The event types to deliver, or `["*"]` for all'),
    description: z.string().trim().min(1).max(200).optional().describe('Your own note, e.g. "ERP production"'),
  })
  .meta({ id: 'RegisterWebhookRequest', description: 'Registers an endpoint that receives signed order events.' });
export type RegisterWebhookRequest = z.infer<typeof registerWebhookRequest>;

export const webhookEndpointView = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(webhookEventSelector),
    description: z.string().optional(),
    status: z.enum(['enabled']),
    createdAt: z.string(),
  })
  .meta({ id: 'WebhookEndpoint', description: 'A registered webhook endpoint (its secret is shown only once).' });
export type WebhookEndpointView = z.infer<typeof webhookEndpointView>;

export const webhookSecret = z
  .string()
  .regex(/^whsec_[A-Za-z0-9+/]+=*$/)
  .meta({
    id: 'WebhookSecret',
    description:
      'The signing secret: `whsec_` and the base64 key. Shown only in the answers to create and rotate-secret; keep it safe.',
  });

export const webhookEndpointWithSecret = webhookEndpointView.extend({ secret: webhookSecret }).meta({
  id: 'WebhookEndpointWithSecret',
  description: 'A webhook endpoint with its signing secret, as returned once by create and rotate-secret.',
});

export const createWebhookResponse = z
  .object({ webhook: webhookEndpointWithSecret })
  .meta({ id: 'CreateWebhookResponse', description: 'The new endpoint and its signing secret (shown this once).' });

export const rotateWebhookSecretResponse = z.object({ webhook: webhookEndpointWithSecret }).meta({
  id: 'RotateWebhookSecretResponse',
  description:
    'The endpoint with its new secret. For 24 hours deliveries carry signatures with both the new and the previous secret.',
});

export const webhookResponse = z
  .object({ webhook: webhookEndpointView })
  .meta({ id: 'WebhookResponse', description: 'One webhook endpoint.' });

export const webhookListResponse = z
  .object({ webhooks: z.array(webhookEndpointView) })
  .meta({ id: 'WebhookListResponse', description: "The company's webhook endpoints, oldest first." });

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

export const webhookDeliveryView = z
  .object({
    id: z.string().describe('Also the `webhook-id` header: the same on every attempt, so receivers can dedupe'),
    webhookId: z.string(),
    eventId: z.string(),
    eventType: z.string(),
    status: z.enum(WEBHOOK_DELIVERY_STATUSES),
    attempts: z.number().int().min(0),
    createdAt: z.string(),
    lastAttemptAt: z.string().optional(),
    nextAttemptAt: z.string().optional().describe('When the next retry is due, while `pending`'),
    lastResponseStatus: z.number().int().optional().describe('HTTP status of the last attempt, if it got an answer'),
    lastError: z.string().optional().describe('Why the last attempt failed'),
  })
  .meta({
    id: 'WebhookDelivery',
    description: 'One event sent to one endpoint: 2xx is success; failures are retried with backoff, then `failed`.',
  });
export type WebhookDeliveryView = z.infer<typeof webhookDeliveryView>;

export const webhookDeliveryListQuery = z
  .strictObject({ limit: z.coerce.number().int().min(1).max(100).default(20) })
  .meta({ id: 'WebhookDeliveryListQuery', description: 'Query of the delivery list.' });

export const webhookDeliveryListResponse = z
  .object({ deliveries: z.array(webhookDeliveryView) })
  .meta({ id: 'WebhookDeliveryListResponse', description: "An endpoint's deliveries, newest event first." });

export const webhookDeliveryResponse = z
  .object({ delivery: webhookDeliveryView })
  .meta({ id: 'WebhookDeliveryResponse', description: 'One delivery (after a replay: pending, the attempt queued).' });

/** The JSON body of every delivery (Standard Webhooks' `type`, `timestamp`, `data`). */
export const webhookPayload = z
  .object({
    id: z.string().describe('The event id; the same event delivered again keeps it'),
    type: z.string().describe('The order event type, e.g. order.calculated'),
    timestamp: z.string().describe('When the event happened (ISO 8601)'),
    data: z
      .looseObject({
        orderId: z.string(),
        status: z.string().describe('The order status after the event'),
        reference: z.string().optional().describe("The company's own reference of the order"),
        sandbox: z.boolean().optional().describe('Present (true) for orders created with a sandbox key'),
        stage: z.string().optional().describe('The production stage (e.g. burnout_cast), while in production'),
        holdReason: z.string().optional().describe('order.held: why production stopped'),
        shipment: z
          .object({ carrier: z.string(), trackingNumber: z.string() })
          .optional()
          .describe('order.shipped: the carrier and its tracking number'),
      })
      .describe('The order as of the event; fetch GET /v1/orders/{orderId} for the rest'),
  })
  .meta({ id: 'WebhookPayload', description: 'The body POSTed to a webhook endpoint (application/json).' });
export type WebhookPayload = z.infer<typeof webhookPayload>;

/**
 * Internal (not part of the API): asks the webhook notifier to make attempt `attempt` of a delivery. Sent delayed
 * for a retry, at once for a replay; a message whose attempt has already been made is dropped.
 */
export const webhookRetryMessage = z.object({
  kind: z.literal('webhook.retry'),
  tenantId: z.string().min(1),
  webhookId: z.string().min(1),
  deliveryId: z.string().min(1),
  attempt: z.number().int().min(1),
});
export type WebhookRetryMessage = z.infer<typeof webhookRetryMessage>;
