import type { WebhookRetryMessage } from '@facet/contracts';
import type {
  HostResolver,
  WebhookRequest,
  WebhookResponse,
  WebhookRetryQueue,
  WebhookSender,
  WebhookStore,
} from '../ports.ts';
import type { WebhookDelivery, WebhookEndpoint } from '../webhooks/model.ts';

/** In-memory webhook ports for unit tests only; the product path always uses adapters/. */

export class MemoryWebhookStore implements WebhookStore {
  readonly endpoints = new Map<string, WebhookEndpoint>();
  readonly deliveries = new Map<string, WebhookDelivery>();
  private key = (...parts: string[]) => parts.join('/');

  async createEndpoint(e: WebhookEndpoint) {
    this.endpoints.set(this.key(e.tenantId, e.id), structuredClone(e));
  }
  async updateEndpoint(e: WebhookEndpoint) {
    if (!this.endpoints.has(this.key(e.tenantId, e.id))) return false;
    this.endpoints.set(this.key(e.tenantId, e.id), structuredClone(e));
    return true;
  }
  async getEndpoint(tenantId: string, id: string) {
    const e = this.endpoints.get(this.key(tenantId, id));
    return e ? structuredClone(e) : undefined;
  }
  async listEndpoints(tenantId: string) {
    return [...this.endpoints.values()]
      .filter((e) => e.tenantId === tenantId)
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((e) => structuredClone(e));
  }
  async deleteEndpoint(tenantId: string, id: string) {
    return this.endpoints.delete(this.key(tenantId, id));
  }
  async createDelivery(d: WebhookDelivery) {
    const k = this.key(d.tenantId, d.webhookId, d.id);
    const existing = this.deliveries.get(k);
    if (existing) return { delivery: structuredClone(existing), created: false };
    this.deliveries.set(k, structuredClone(d));
    return { delivery: structuredClone(d), created: true };
  }
  async getDelivery(tenantId: string, webhookId: string, id: string) {
    const d = this.deliveries.get(this.key(tenantId, webhookId, id));
    return d ? structuredClone(d) : undefined;
  }
  async saveDelivery(next: WebhookDelivery, expectedRevision: number) {
    const k = this.key(next.tenantId, next.webhookId, next.id);
    if (this.deliveries.get(k)?.revision !== expectedRevision) return false;
    this.deliveries.set(k, structuredClone(next));
    return true;
  }
  async listDeliveries(tenantId: string, webhookId: string, limit: number) {
    return [...this.deliveries.values()]
      .filter((d) => d.tenantId === tenantId && d.webhookId === webhookId)
      .sort((a, b) => b.id.localeCompare(a.id))
      .slice(0, limit)
      .map((d) => structuredClone(d));
  }
}

/** Answers from a script (then the last answer again) and records every request. */
export class ScriptedSender implements WebhookSender {
  readonly requests: WebhookRequest[] = [];
  constructor(private readonly answers: WebhookResponse[] = [{ status: 200 }]) {}
  async post(request: WebhookRequest) {
    this.requests.push(request);
    return (this.answers.length > 1 ? this.answers.shift() : this.answers[0]) ?? { status: 200 };
  }
}

export class MemoryRetryQueue implements WebhookRetryQueue {
  readonly sent: { message: WebhookRetryMessage; delaySeconds: number }[] = [];
  async send(message: WebhookRetryMessage, delaySeconds: number) {
    this.sent.push({ message: structuredClone(message), delaySeconds });
  }
  /** Takes every queued message out (the test decides when they "arrive"). */
  drain() {
    return this.sent.splice(0);
  }
}

/** A fixed DNS: host → addresses; unknown hosts do not resolve. */
export class StaticResolver implements HostResolver {
  constructor(private readonly table: Record<string, string[]> = {}) {}
  async resolve(hostname: string) {
    const addresses = this.table[hostname];
    if (!addresses) throw new Error(`ENOTFOUND ${hostname}`);
    return addresses;
  }
}
