import type { CalculationJob, OrderEvent } from '@facet/contracts';
import type { Order } from './order.ts';

/** Ports: what the domain needs from the outside world. adapters/ implements them with the AWS SDK. */

export interface OrderStore {
  /** Fails with a conflict if the id exists. */
  create(order: Order): Promise<void>;
  get(tenantId: string, orderId: string): Promise<Order | undefined>;
  /** Writes `next` only if the stored version is still `expectedVersion`; otherwise throws a conflict. */
  save(next: Order, expectedVersion: number): Promise<void>;
  /** Records that the event of `version` went out (no-op if the order has moved on since). */
  markPublished(tenantId: string, orderId: string, version: number): Promise<void>;
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
  presignUploadParts(key: string, uploadId: string, partCount: number, ttlSeconds: number): Promise<PresignedPart[]>;
  completeMultipartUpload(
    key: string,
    uploadId: string,
    parts: readonly { partNumber: number; etag: string }[],
  ): Promise<void>;
  /** Reads a whole object, refusing one larger than `maxBytes`. */
  get(key: string, maxBytes: number): Promise<Uint8Array>;
  put(key: string, body: Uint8Array | string, contentType: string): Promise<void>;
  presignGet(key: string, ttlSeconds: number): Promise<string>;
}

export interface JobQueue {
  enqueue(job: CalculationJob): Promise<void>;
}

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

/** Records that an event was handled, once: returns false if it was already recorded. */
export interface DedupeStore {
  markOnce(scope: string, id: string, ttlSeconds: number): Promise<boolean>;
}
