import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The local API Gateway's usage plan: what AWS does for a company's API key, here in memory — a token bucket
 * (rate and burst) and a daily quota per key, 429 when either is spent — plus the control-plane calls the handlers
 * make in API Gateway's REST protocol, so they run the real SDK client against it: the reads of GetUsage
 * (GetUsagePlans, GetUsage) and the key management of the operators' companies page (CreateApiKey,
 * CreateUsagePlanKey, UpdateApiKey to disable a revoked key).
 */
export const LOCAL_USAGE_PLAN_ID = 'local-clients-plan';
export const LOCAL_USAGE_PLAN_NAME = 'Facet-local-clients';

export interface PlanLimits {
  readonly rateLimit: number;
  readonly burstLimit: number;
  readonly quotaPerDay: number;
}

export type Admission =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'throttled' | 'quota'; readonly retryAfterSeconds: number };

const DAY_MS = 86_400_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export class LocalUsagePlan {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly used = new Map<string, number>();
  /** API keys registered through the control plane, by id (a revoked company key is disabled here, as on AWS). */
  private readonly apiKeys = new Map<string, { id: string; name: string; enabled: boolean; planIds: string[] }>();

  constructor(
    readonly limits: PlanLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** Throttle first, then quota, as API Gateway does; only admitted requests count against the quota. */
  admit(keyId: string): Admission {
    const t = this.now();
    const bucket = this.buckets.get(keyId) ?? { tokens: this.limits.burstLimit, at: t };
    bucket.tokens = Math.min(this.limits.burstLimit, bucket.tokens + ((t - bucket.at) / 1000) * this.limits.rateLimit);
    bucket.at = t;
    this.buckets.set(keyId, bucket);
    if (bucket.tokens < 1) {
      return {
        ok: false,
        reason: 'throttled',
        retryAfterSeconds: Math.ceil((1 - bucket.tokens) / this.limits.rateLimit),
      };
    }
    const key = `${keyId}|${dayOf(t)}`;
    const used = this.used.get(key) ?? 0;
    if (used >= this.limits.quotaPerDay) {
      const nextDay = Math.floor(t / DAY_MS + 1) * DAY_MS;
      return { ok: false, reason: 'quota', retryAfterSeconds: Math.ceil((nextDay - t) / 1000) };
    }
    bucket.tokens -= 1;
    this.used.set(key, used + 1);
    return { ok: true };
  }

  private describe() {
    return {
      id: LOCAL_USAGE_PLAN_ID,
      name: LOCAL_USAGE_PLAN_NAME,
      throttle: { rateLimit: this.limits.rateLimit, burstLimit: this.limits.burstLimit },
      quota: { limit: this.limits.quotaPerDay, offset: 0, period: 'DAY' },
    };
  }

  /** GetUsage's items: per key, one [used, remaining] pair per day of the range. */
  usage(startDate: string, endDate: string, keyId?: string): Record<string, number[][]> {
    const days: string[] = [];
    for (let t = Date.parse(startDate); t <= Date.parse(endDate) && days.length < 90; t += DAY_MS) days.push(dayOf(t));
    const keys = keyId ? [keyId] : [...new Set([...this.used.keys()].map((k) => k.split('|')[0] ?? ''))];
    return Object.fromEntries(
      keys.map((k) => [
        k,
        days.map((d) => {
          const used = this.used.get(`${k}|${d}`) ?? 0;
          return [used, Math.max(0, this.limits.quotaPerDay - used)];
        }),
      ]),
    );
  }

  /** Answers the control-plane calls; returns false for any other request. */
  serveControlPlane(req: IncomingMessage, res: ServerResponse, url: URL): boolean {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (this.serveKeyManagement(req, url, send)) return true;
    if (req.method === 'GET' && url.pathname === '/usageplans') {
      // GetUsagePlans: the SDK's `items` is `item` on the wire.
      send(200, { item: [this.describe()] });
      return true;
    }
    const match = /^\/usageplans\/([^/]+)(\/usage)?$/.exec(url.pathname);
    if (req.method !== 'GET' || !match) return false;
    if (match[1] !== LOCAL_USAGE_PLAN_ID) {
      send(404, { message: 'Invalid Usage Plan ID specified' });
      return true;
    }
    if (!match[2]) {
      send(200, this.describe());
      return true;
    }
    const startDate = url.searchParams.get('startDate') ?? dayOf(this.now());
    const endDate = url.searchParams.get('endDate') ?? startDate;
    const keyId = url.searchParams.get('keyId') ?? undefined;
    // On the wire the SDK's `items` is `values` (the API Gateway REST protocol's JSON name).
    send(200, { usagePlanId: LOCAL_USAGE_PLAN_ID, startDate, endDate, values: this.usage(startDate, endDate, keyId) });
    return true;
  }

  /** CreateApiKey, CreateUsagePlanKey and UpdateApiKey (enabled only): the JSON bodies arrive read by readJson. */
  private serveKeyManagement(req: IncomingMessage, url: URL, send: (status: number, body: unknown) => void): boolean {
    const isCreateKey = req.method === 'POST' && url.pathname === '/apikeys';
    const planKeys = req.method === 'POST' ? /^\/usageplans\/([^/]+)\/keys$/.exec(url.pathname) : null;
    const update = req.method === 'PATCH' ? /^\/apikeys\/([^/]+)$/.exec(url.pathname) : null;
    if (!isCreateKey && !planKeys && !update) return false;
    readJson(req).then(
      (body) => {
        if (isCreateKey) {
          const id = `local-key-${this.apiKeys.size + 1}`;
          const key = { id, name: String(body.name ?? id), enabled: body.enabled !== false, planIds: [] };
          this.apiKeys.set(id, key);
          return send(201, { id, name: key.name, enabled: key.enabled });
        }
        if (planKeys) {
          const key = this.apiKeys.get(String(body.keyId ?? ''));
          if (planKeys[1] !== LOCAL_USAGE_PLAN_ID) return send(404, { message: 'Invalid Usage Plan ID specified' });
          if (!key) return send(404, { message: 'Invalid API Key identifier specified' });
          key.planIds.push(LOCAL_USAGE_PLAN_ID);
          return send(201, { id: key.id, type: 'API_KEY', name: key.name });
        }
        const key = this.apiKeys.get(decodeURIComponent(update?.[1] ?? ''));
        if (!key) return send(404, { message: 'Invalid API Key identifier specified' });
        const ops = Array.isArray(body.patchOperations) ? (body.patchOperations as Record<string, unknown>[]) : [];
        for (const op of ops) if (op.path === '/enabled') key.enabled = op.value === 'true';
        return send(200, { id: key.id, name: key.name, enabled: key.enabled });
      },
      () => send(400, { message: 'Invalid request body' }),
    );
    return true;
  }
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const parsed: unknown = text ? JSON.parse(text) : {};
  if (!parsed || typeof parsed !== 'object') throw new Error('not an object');
  return parsed as Record<string, unknown>;
}
