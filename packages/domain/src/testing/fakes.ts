import type { OrderEvent } from '@facet/contracts';
import { conflict } from '../errors.ts';
import type { Order } from '../order.ts';
import type {
  ApiKeyRecord,
  BlobStore,
  DedupeStore,
  EventBus,
  IdempotencyBegin,
  IdempotencyStore,
  Mail,
  Mailer,
  OrderListQuery,
  OrderStore,
  PresignedPart,
  SigningKeys,
  StoredResponse,
  Tenant,
  TenantStore,
} from '../ports.ts';

/** In-memory ports for unit tests only; the product path always uses adapters/. */

export class MemoryOrderStore implements OrderStore {
  readonly items = new Map<string, Order>();
  /** Every stored event, in write order (what the outbox publisher would publish). */
  readonly outbox: OrderEvent[] = [];
  writes = 0;
  private key = (t: string, id: string) => `${t}/${id}`;
  async create(order: Order, event: OrderEvent) {
    if (this.items.has(this.key(order.tenantId, order.id))) throw conflict('exists');
    this.items.set(this.key(order.tenantId, order.id), structuredClone(order));
    this.outbox.push(structuredClone(event));
  }
  /** Puts an order in place for a test, with no event (as if its history happened before the test). */
  seed(order: Order) {
    this.items.set(this.key(order.tenantId, order.id), structuredClone(order));
  }
  async locate(orderId: string) {
    return [...this.items.values()].find((o) => o.id === orderId)?.tenantId;
  }
  async events(tenantId: string, orderId: string) {
    return this.outbox.filter((e) => e.tenantId === tenantId && e.orderId === orderId).map((e) => structuredClone(e));
  }
  async get(tenantId: string, orderId: string) {
    const o = this.items.get(this.key(tenantId, orderId));
    return o ? structuredClone(o) : undefined;
  }
  async save(next: Order, expectedVersion: number, event?: OrderEvent) {
    const current = this.items.get(this.key(next.tenantId, next.id));
    if (!current || current.version !== expectedVersion) throw conflict('version');
    this.writes++;
    this.items.set(this.key(next.tenantId, next.id), structuredClone(next));
    if (event) this.outbox.push(structuredClone(event));
  }
  async list(tenantId: string, q: OrderListQuery) {
    // Same order as the index: createdAt, then the table's sort key (the id), both descending.
    const rank = (o: Order) => `${o.createdAt}|${o.id}`;
    const all = [...this.items.values()]
      .filter((o) => o.tenantId === tenantId && Boolean(o.sandbox) === q.sandbox)
      .filter((o) => !q.statuses || q.statuses.includes(o.status))
      .filter((o) => (!q.createdFrom || o.createdAt >= q.createdFrom) && (!q.createdTo || o.createdAt <= q.createdTo))
      .filter((o) => !q.after || rank(o) < `${q.after.createdAt}|${q.after.id}`)
      .sort((a, b) => rank(b).localeCompare(rank(a)));
    const orders = all.slice(0, q.limit).map((o) => structuredClone(o));
    const last = orders.at(-1);
    return { orders, ...(all.length > q.limit && last ? { next: { createdAt: last.createdAt, id: last.id } } : {}) };
  }
}

export class FixedSigningKeys implements SigningKeys {
  async key() {
    return new Uint8Array(32).fill(7);
  }
}

export class MemoryBlobStore implements BlobStore {
  readonly objects = new Map<string, Uint8Array | string>();
  readonly completed: string[] = [];
  async startMultipartUpload(key: string) {
    return `upload-${key}`;
  }
  async presignUploadParts(
    key: string,
    uploadId: string,
    parts: readonly { partNumber: number; size: number }[],
  ): Promise<PresignedPart[]> {
    return parts.map(({ partNumber, size }) => ({
      partNumber,
      url: `https://s3.test/${key}?uploadId=${uploadId}&partNumber=${partNumber}&length=${size}`,
    }));
  }
  readonly uploadedParts = new Map<string, { partNumber: number; etag: string; size: number }[]>();
  /** What a client's PUT of a part leaves in storage. */
  storePart(key: string, partNumber: number, size: number, etag = `"etag-${partNumber}"`) {
    const parts = (this.uploadedParts.get(key) ?? []).filter((p) => p.partNumber !== partNumber);
    this.uploadedParts.set(key, [...parts, { partNumber, etag, size }]);
  }
  async listUploadedParts(key: string) {
    return this.uploadedParts.get(key) ?? [];
  }
  async completeMultipartUpload(key: string) {
    this.completed.push(key);
  }
  async get(key: string) {
    const v = this.objects.get(key);
    if (v === undefined) throw new Error(`no object ${key}`);
    return typeof v === 'string' ? new TextEncoder().encode(v) : v;
  }
  async put(key: string, body: Uint8Array | string) {
    this.objects.set(key, body);
  }
  async presignGet(key: string) {
    return `https://s3.test/${key}?signed`;
  }
}

export class MemoryEventBus implements EventBus {
  readonly events: OrderEvent[] = [];
  async publish(event: OrderEvent) {
    this.events.push(event);
  }
}

export class MemoryTenantStore implements TenantStore {
  readonly tenants = new Map<string, Tenant>();
  readonly keys = new Map<string, ApiKeyRecord>();
  async getTenant(id: string) {
    return this.tenants.get(id);
  }
  async listTenants() {
    return [...this.tenants.values()];
  }
  async listApiKeys(tenantId: string) {
    return [...this.keys].filter(([, r]) => r.tenantId === tenantId).map(([keyHash, r]) => ({ ...r, keyHash }));
  }
  async putTenant(t: Tenant) {
    this.tenants.set(t.id, t);
  }
  async findApiKey(hash: string) {
    return this.keys.get(hash);
  }
  async putApiKey(hash: string, record: ApiKeyRecord) {
    this.keys.set(hash, record);
  }
}

export class MemoryMailer implements Mailer {
  readonly sent: Mail[] = [];
  async send(mail: Mail) {
    this.sent.push(mail);
  }
}

export class MemoryDedupe implements DedupeStore {
  readonly state = new Map<string, 'claimed' | 'done'>();
  async claim(scope: string, id: string) {
    const current = this.state.get(`${scope}/${id}`);
    if (current === 'done') return 'done';
    if (current === 'claimed') return 'busy';
    this.state.set(`${scope}/${id}`, 'claimed');
    return 'claimed';
  }
  async complete(scope: string, id: string) {
    this.state.set(`${scope}/${id}`, 'done');
  }
  async release(scope: string, id: string) {
    this.state.delete(`${scope}/${id}`);
  }
}

export class MemoryIdempotencyStore implements IdempotencyStore {
  readonly items = new Map<string, { fingerprint: string; response?: StoredResponse }>();
  async begin(tenantId: string, key: string, fingerprint: string): Promise<IdempotencyBegin> {
    const item = this.items.get(`${tenantId}/${key}`);
    if (!item) {
      this.items.set(`${tenantId}/${key}`, { fingerprint });
      return { state: 'new' };
    }
    if (item.fingerprint !== fingerprint) return { state: 'mismatch' };
    return item.response ? { state: 'replay', response: item.response } : { state: 'in_progress' };
  }
  async complete(tenantId: string, key: string, response: StoredResponse) {
    const item = this.items.get(`${tenantId}/${key}`);
    if (item) item.response = response;
  }
  async abandon(tenantId: string, key: string) {
    this.items.delete(`${tenantId}/${key}`);
  }
}
