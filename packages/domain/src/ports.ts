import type { OrderEvent } from '@facet/contracts';
import type { Order } from './order.ts';
import type { OrderStatus } from './order-states.ts';

/** Ports: what the domain needs from the outside world. adapters/ implements them with the AWS SDK. */

/**
 * Orders and their events. A write that changes the status carries its event: the order and the event are stored
 * together or not at all (the transactional outbox; the stream publisher puts stored events on the bus), so an
 * order can never move without its event, nor an event go out for a write that failed.
 */
export interface OrderStore {
  /** Stores a new order with its first event; fails with a conflict if the id exists. */
  create(order: Order, event: OrderEvent): Promise<void>;
  get(tenantId: string, orderId: string): Promise<Order | undefined>;
  /**
   * Writes `next` (and its event, if any) only if the stored version is still `expectedVersion`; otherwise throws
   * a conflict and writes nothing.
   */
  save(next: Order, expectedVersion: number, event?: OrderEvent): Promise<void>;
  /** The order's stored events, oldest first (its audit trail). */
  events(tenantId: string, orderId: string): Promise<OrderEvent[]>;
  /** The company an order belongs to (for the workshop, which sees every company's orders). */
  locate(orderId: string): Promise<string | undefined>;
  /** Newest first, in the live or the sandbox space of the tenant; `after` continues from a previous page. */
  list(tenantId: string, query: OrderListQuery): Promise<{ orders: Order[]; next?: OrderPosition }>;
}

/** Where a page of orders ended: the last order's creation time and id (the index's sort key and tie-break). */
export interface OrderPosition {
  readonly createdAt: string;
  readonly id: string;
}

export interface OrderListQuery {
  readonly sandbox: boolean;
  readonly statuses?: readonly OrderStatus[];
  /** Inclusive ISO 8601 bounds on createdAt. */
  readonly createdFrom?: string;
  readonly createdTo?: string;
  readonly limit: number;
  readonly after?: OrderPosition;
}

/** Keys the platform signs its own tokens with (e.g. list cursors); created on first use, never leave the backend. */
export interface SigningKeys {
  key(purpose: 'cursor'): Promise<Uint8Array>;
}

export interface Tenant {
  readonly id: string;
  readonly name: string;
  readonly notificationEmail: string;
  readonly sandbox?: boolean;
}

export interface ApiKeyRecord {
  readonly keyId: string;
  readonly tenantId: string;
  readonly status: 'active' | 'revoked';
  readonly kind?: 'live' | 'sandbox';
  readonly createdAt?: string;
  /** The API Gateway API key that meters this key against the usage plan (AWS only). */
  readonly gatewayKeyId?: string;
}

/** API Gateway's usage plan: on AWS every company key is also an API key attached to the plan; locally a no-op. */
export interface UsagePlanRegistry {
  /** Registers the key's value and returns the gateway's id for it. */
  register(apiKey: string, name: string): Promise<string | undefined>;
  disable(gatewayKeyId: string): Promise<void>;
}

export interface TenantStore {
  getTenant(tenantId: string): Promise<Tenant | undefined>;
  putTenant(tenant: Tenant): Promise<void>;
  /** Keys are stored by their SHA-256 hash only. */
  listTenants(): Promise<Tenant[]>;
  findApiKey(keyHash: string): Promise<ApiKeyRecord | undefined>;
  /** Stores the key by its hash, and under its tenant (for listing and revoking by id). */
  putApiKey(keyHash: string, record: ApiKeyRecord): Promise<void>;
  listApiKeys(tenantId: string): Promise<(ApiKeyRecord & { keyHash: string })[]>;
}

export interface PresignedPart {
  readonly partNumber: number;
  readonly url: string;
}

export interface BlobStore {
  startMultipartUpload(key: string, contentType: string): Promise<string>;
  /** One URL per part, each pinned to its part's size (a PUT of another length is refused by storage). */
  presignUploadParts(
    key: string,
    uploadId: string,
    parts: readonly { readonly partNumber: number; readonly size: number }[],
    ttlSeconds: number,
  ): Promise<PresignedPart[]>;
  completeMultipartUpload(
    key: string,
    uploadId: string,
    parts: readonly { partNumber: number; etag: string }[],
  ): Promise<void>;
  /** The parts of an open multipart upload that are already stored. */
  listUploadedParts(
    key: string,
    uploadId: string,
  ): Promise<{ readonly partNumber: number; readonly etag: string; readonly size: number }[]>;
  /** Reads a whole object; throws ObjectTooLarge (errors.ts) for one larger than `maxBytes`, reading nothing. */
  get(key: string, maxBytes: number): Promise<Uint8Array>;
  put(key: string, body: Uint8Array | string, contentType: string): Promise<void>;
  presignGet(key: string, ttlSeconds: number): Promise<string>;
}

/** Where stored events are published (only the outbox publisher calls it). */
export interface EventBus {
  publish(event: OrderEvent): Promise<void>;
}

export interface Mail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** Stable id: sending the same mail twice is a no-op for transports that can dedupe. */
  readonly id: string;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
}

/** A stored answer to a POST, replayed for a retry with the same Idempotency-Key and body. */
export interface StoredResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export type IdempotencyBegin =
  | { readonly state: 'new' }
  | { readonly state: 'replay'; readonly response: StoredResponse }
  | { readonly state: 'mismatch' }
  | { readonly state: 'in_progress' };

/** Idempotency keys per tenant: the first request with a key runs, later ones get its answer. */
export interface IdempotencyStore {
  begin(tenantId: string, key: string, fingerprint: string): Promise<IdempotencyBegin>;
  complete(tenantId: string, key: string, response: StoredResponse): Promise<void>;
  /** Forgets a key whose request failed on our side, so the client's retry runs again. */
  abandon(tenantId: string, key: string): Promise<void>;
}

/**
 * Once-only side effects (an email per event), recorded only after they happened: `claim` takes the work for
 * `leaseSeconds` (`done` if it already happened, `busy` while another delivery holds a live claim), `complete`
 * records that it happened, `release` gives a failed claim back so the redelivery tries again.
 */
export interface DedupeStore {
  claim(scope: string, id: string, leaseSeconds: number): Promise<'claimed' | 'done' | 'busy'>;
  complete(scope: string, id: string, keepSeconds: number): Promise<void>;
  release(scope: string, id: string): Promise<void>;
}

// Webhooks (packages/domain/src/webhooks). Types by inline import, so this block stays an append.
type WebhookEndpoint = import('./webhooks/model.ts').WebhookEndpoint;
type WebhookDelivery = import('./webhooks/model.ts').WebhookDelivery;
type WebhookRetryMessage = import('@facet/contracts').WebhookRetryMessage;

/** Endpoints and deliveries, every one under its tenant: another tenant's id finds nothing. */
export interface WebhookStore {
  createEndpoint(endpoint: WebhookEndpoint): Promise<void>;
  /** Replaces a stored endpoint; returns false if it no longer exists (deleted meanwhile). */
  updateEndpoint(endpoint: WebhookEndpoint): Promise<boolean>;
  getEndpoint(tenantId: string, webhookId: string): Promise<WebhookEndpoint | undefined>;
  /** Oldest first. */
  listEndpoints(tenantId: string): Promise<WebhookEndpoint[]>;
  /** Returns false if there was nothing to delete. */
  deleteEndpoint(tenantId: string, webhookId: string): Promise<boolean>;
  /** Creates the delivery unless its id exists; returns the stored one and whether this call created it. */
  createDelivery(delivery: WebhookDelivery): Promise<{ delivery: WebhookDelivery; created: boolean }>;
  getDelivery(tenantId: string, webhookId: string, deliveryId: string): Promise<WebhookDelivery | undefined>;
  /** Writes `next` only if the stored delivery is still at `expectedRevision`; returns false otherwise. */
  saveDelivery(next: WebhookDelivery, expectedRevision: number): Promise<boolean>;
  /** Newest event first. */
  listDeliveries(tenantId: string, webhookId: string, limit: number): Promise<WebhookDelivery[]>;
}

export interface WebhookRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly timeoutMs: number;
}

/** The HTTP status if the receiver answered, otherwise why not (timeout, refused, TLS…). */
export type WebhookResponse = { readonly status: number } | { readonly error: string };

/** POSTs one delivery attempt; never throws for the receiver's failures, never follows redirects. */
export interface WebhookSender {
  post(request: WebhookRequest): Promise<WebhookResponse>;
}

/** The webhook notifier's own queue: retries (delayed) and replays. */
export interface WebhookRetryQueue {
  send(message: WebhookRetryMessage, delaySeconds: number): Promise<void>;
}

/** Every address a host name resolves to (A and AAAA). */
export interface HostResolver {
  resolve(hostname: string): Promise<string[]>;
}

/** A key's usage plan and its use on one UTC day, as the gateway meters it. */
export interface KeyUsage {
  readonly plan: { readonly rateLimit: number; readonly burstLimit: number; readonly quotaPerDay: number };
  readonly used: number;
  readonly remaining: number;
}

export interface UsageMeter {
  usageOn(usageKeyId: string, day: string): Promise<KeyUsage>;
}
