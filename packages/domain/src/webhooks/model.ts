import { createHash } from 'node:crypto';
import {
  ALL_WEBHOOK_EVENTS,
  type OrderEvent,
  WEBHOOK_EVENT_TYPES,
  type WebhookDeliveryStatus,
  type WebhookDeliveryView,
  type WebhookEndpointView,
  type WebhookPayload,
} from '@facet/contracts';

/** A registered endpoint, as stored (the view leaves the secrets out). */
export interface WebhookEndpoint {
  readonly tenantId: string;
  readonly id: string;
  readonly url: string;
  /** Event types, or `['*']`. */
  readonly events: readonly string[];
  readonly description?: string;
  readonly status: 'enabled';
  /** Registered with a sandbox key: receives the events of sandbox orders only (and a live endpoint, live ones). */
  readonly sandbox?: boolean;
  /** `whsec_<base64>`; stored (encrypted at rest) because every delivery is signed with it (ADR 0005). */
  readonly secret: string;
  /** The secret before the last rotation: it keeps signing until `previousSecretExpiresAt`. */
  readonly previousSecret?: string;
  readonly previousSecretExpiresAt?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** One event to one endpoint, with its attempts; `payload` is the exact body every attempt sends. */
export interface WebhookDelivery {
  readonly tenantId: string;
  readonly id: string;
  readonly webhookId: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly payload: string;
  readonly status: WebhookDeliveryStatus;
  /** Every attempt ever made, replays included. */
  readonly attempts: number;
  /** Attempts since the delivery was created or last replayed: the backoff schedule counts these. */
  readonly cycleAttempts: number;
  readonly createdAt: string;
  readonly lastAttemptAt?: string;
  readonly nextAttemptAt?: string;
  readonly lastResponseStatus?: number;
  readonly lastError?: string;
  /** Bumped by every write: writes are conditional on it, so of two concurrent writers one loses. */
  readonly revision: number;
}

/** Who manages an endpoint: a company, with a live or a sandbox key (each sees only its own endpoints). */
export interface WebhookOwner {
  readonly tenantId: string;
  readonly sandbox: boolean;
}

export const ownedBy = (endpoint: WebhookEndpoint, owner: WebhookOwner) =>
  endpoint.tenantId === owner.tenantId && (endpoint.sandbox ?? false) === owner.sandbox;

export const subscribes = (endpoint: WebhookEndpoint, event: Pick<OrderEvent, 'type' | 'data'>) =>
  endpoint.status === 'enabled' &&
  (endpoint.sandbox ?? false) === (event.data.sandbox === true) &&
  // `*` is every event a company sees (not the internal ones: progress, weighing, trees).
  (endpoint.events.includes(ALL_WEBHOOK_EVENTS)
    ? (WEBHOOK_EVENT_TYPES as readonly string[]).includes(event.type)
    : endpoint.events.includes(event.type));

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * The delivery of one event to one endpoint always gets the same id, so a redelivered event creates no second
 * delivery. It starts with the event's time (Crockford base32, like newId), so ids sort by event time.
 */
export function deliveryIdFor(event: Pick<OrderEvent, 'id' | 'occurredAt'>, webhookId: string): string {
  let time = '';
  let t = Math.max(0, Date.parse(event.occurredAt) || 0);
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const digest = createHash('sha256').update(`${event.id}\n${webhookId}`).digest();
  let hash = '';
  for (const byte of digest.subarray(0, 16)) hash += ALPHABET[byte % 32];
  return `whd_${time}${hash}`;
}

export function payloadOf(event: OrderEvent): WebhookPayload {
  return {
    id: event.id,
    type: event.type,
    timestamp: event.occurredAt,
    data: { ...event.data, orderId: event.orderId, status: String(event.data.status ?? '') },
  };
}

export const toEndpointView = (e: WebhookEndpoint): WebhookEndpointView => ({
  id: e.id,
  url: e.url,
  events: [...e.events] as WebhookEndpointView['events'],
  ...(e.description ? { description: e.description } : {}),
  status: e.status,
  createdAt: e.createdAt,
});

export const toDeliveryView = (d: WebhookDelivery): WebhookDeliveryView => ({
  id: d.id,
  webhookId: d.webhookId,
  eventId: d.eventId,
  eventType: d.eventType,
  status: d.status,
  attempts: d.attempts,
  createdAt: d.createdAt,
  ...(d.lastAttemptAt ? { lastAttemptAt: d.lastAttemptAt } : {}),
  ...(d.nextAttemptAt ? { nextAttemptAt: d.nextAttemptAt } : {}),
  ...(d.lastResponseStatus !== undefined ? { lastResponseStatus: d.lastResponseStatus } : {}),
  ...(d.lastError ? { lastError: d.lastError } : {}),
});
