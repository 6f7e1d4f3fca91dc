import { createFacetClient, type FacetClient, resumeModelUpload, uploadModel } from '@facet/client';
import { issueApiKey, revokeApiKey } from '@facet/domain/tenants';
import { routes } from '@facet/wiring';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local/cloud/cloud.ts';
import { withLocalCloud } from '../../local/testing/local-cloud.ts';
import { waitFor } from '../../local/tools/clients-api.ts';
import { torusStl } from '../../local/tools/sample-models.ts';
import { newCompany } from './companies.ts';
import { type ContractChecker, contractFor } from './contract.ts';

/**
 * The Clients API as a company uses it: through the typed client, every exchange checked against the served
 * OpenAPI document; two companies and a sandbox key that must never see each other's data.
 */
describe('Clients API through the typed client', () => {
  let cloud: LocalCloud;
  let contract: ContractChecker;
  let live: FacetClient;
  let sandbox: FacetClient;
  let other: FacetClient;

  const suiteCloud = withLocalCloud({
    workers: 1,
    log: () => undefined,
  });
  beforeAll(async () => {
    cloud = suiteCloud();
    contract = await contractFor(cloud.apiUrl);
    const client = (apiKey: string) => createFacetClient({ baseUrl: cloud.apiUrl, apiKey, fetch: contract.fetch });
    live = client(cloud.demo.apiKey);
    sandbox = client(cloud.demo.sandboxApiKey);
    other = client((await newCompany(cloud, 'Rival Gold')).apiKey);
  });

  const orderRequest = (size: number, reference = 'PO-7') => ({
    reference,
    dueDate: '2030-06-30',
    items: [{ alloy: 'ag925' as const, quantity: 3 }],
    file: { name: 'ring.stl', size },
  });

  async function createOrder(client: FacetClient, size = 684, reference?: string) {
    const { data, error } = await client.POST('/v1/orders', { body: orderRequest(size, reference) });
    if (!data) throw new Error(`create failed: ${JSON.stringify(error)}`);
    return data;
  }

  const getOrder = (client: FacetClient, orderId: string) =>
    client.GET('/v1/orders/{orderId}', { params: { path: { orderId } } });

  it('serves its OpenAPI 3.1 document, generated for every route, and a docs page', async () => {
    const doc = await (await fetch(`${cloud.apiUrl}/v1/openapi.json`)).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers[0].url).toBe(cloud.apiUrl);
    for (const route of routes.filter((r) => r.path.startsWith('/v1/'))) {
      expect(doc.paths[route.path]?.[route.method.toLowerCase()], `${route.method} ${route.path}`).toBeDefined();
    }
    const page = await fetch(`${cloud.apiUrl}/docs`);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    for (const asset of html.matchAll(/(?:href|src)="(docs\/[^"]+)"/g)) {
      const res = await fetch(`${cloud.apiUrl}/${asset[1]}`);
      expect(res.status, asset[1]).toBe(200);
      expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(10_000);
    }
    expect(html).toContain("url: 'v1/openapi.json'");
    expect((await fetch(`${cloud.apiUrl}/docs/package.json`)).status).toBe(404);
  });

  it('lets a sandbox key upload a model, get a quote and confirm it, apart from live data', async () => {
    // Prepare
    const ring = torusStl(9, 1.2);
    const { order, upload } = await createOrder(sandbox, ring.length);
    // Act
    await uploadModel(sandbox, order.id, upload, ring);
    const quoted = await waitFor('the sandbox quote', async () => {
      const { data } = await getOrder(sandbox, order.id);
      return data && ['quoted', 'rejected', 'failed'].includes(data.order.status) ? data.order : undefined;
    });
    const { data: confirmed } = await sandbox.POST('/v1/orders/{orderId}/confirm', {
      params: { path: { orderId: order.id } },
      body: { expectedTotal: quoted.quote?.total ?? -1 },
    });
    // Assess
    expect(quoted.status).toBe('quoted');
    expect(quoted.sandbox).toBe(true);
    expect(quoted.history.map((h) => h.status)).toEqual(['awaiting_upload', 'queued', 'calculating', 'quoted']);
    expect((await fetch(quoted.downloads?.report ?? '')).status).toBe(200);
    const thumbnail = await fetch(quoted.downloads?.thumbnail ?? '');
    expect(new Uint8Array(await thumbnail.arrayBuffer()).subarray(1, 4)).toEqual(new TextEncoder().encode('PNG'));
    expect(confirmed?.order.status).toBe('confirmed');
    expect(confirmed?.order.confirmation?.total).toBe(quoted.quote?.total);
    expect((await getOrder(live, order.id)).response.status).toBe(404);
    const { data: liveList } = await live.GET('/v1/orders', { params: { query: { limit: 100 } } });
    expect(liveList?.orders.map((o) => o.id)).not.toContain(order.id);
    const { data: sandboxList } = await sandbox.GET('/v1/orders', { params: { query: { limit: 100 } } });
    expect(sandboxList?.orders.map((o) => o.id)).toContain(order.id);
  });

  it('lets a rejected model be replaced by a fixed one, on the same order', async () => {
    // Prepare: a file that is no model at all is rejected with machine-readable defects.
    const junk = new TextEncoder().encode('<!doctype html><p>not a ring</p>');
    const { order, upload } = await createOrder(live, junk.length);
    await uploadModel(live, order.id, upload, junk);
    const rejected = await waitFor('the rejection', async () => {
      const { data } = await getOrder(live, order.id);
      return data?.order.status === 'rejected' ? data.order : undefined;
    });
    const ring = torusStl(8, 1.1);
    // Act
    const { data: replaced } = await live.POST('/v1/orders/{orderId}/files', {
      params: { path: { orderId: order.id } },
      body: { file: { name: 'ring-fixed.stl', size: ring.length } },
    });
    if (!replaced) throw new Error('replace failed');
    await uploadModel(live, order.id, replaced.upload, ring);
    const quoted = await waitFor('the new quote', async () => {
      const { data } = await getOrder(live, order.id);
      return data?.order.status === 'quoted' ? data.order : undefined;
    });
    // Assess
    expect(rejected.rejection?.defects?.[0]?.code).toBeTruthy();
    expect(rejected.rejection?.canManufactureAnyway).toBe(false);
    expect(quoted.file.name).toBe('ring-fixed.stl');
    expect(quoted.rejection).toBeUndefined();
    expect(quoted.history.map((h) => h.status)).toEqual([
      'awaiting_upload',
      'queued',
      'calculating',
      'rejected',
      'awaiting_upload',
      'queued',
      'calculating',
      'quoted',
    ]);
  });

  it('resumes an interrupted upload: storage says which parts are in, the rest go up with fresh URLs', async () => {
    // Prepare: a model over two 8 MiB parts; only the first part gets uploaded before "the connection drops".
    const ring = torusStl(9, 1.2, 400, 300);
    const { order, upload } = await createOrder(live, ring.length);
    expect(upload.parts).toHaveLength(2);
    const first = upload.parts[0];
    if (!first) throw new Error('no first part');
    await fetch(first.url, { method: 'PUT', body: ring.slice(0, upload.partSize) });
    // Act
    const status = await live.GET('/v1/orders/{orderId}/files/{fileId}', {
      params: { path: { orderId: order.id, fileId: upload.fileId } },
    });
    const completed = await resumeModelUpload(live, order.id, upload.fileId, ring);
    // Assess
    expect(status.data?.upload.parts.map((p) => p.uploaded)).toEqual([true, false]);
    expect(status.data?.upload.parts[0]?.etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(completed.status).toBe('queued');
    const quoted = await waitFor('the resumed order to be quoted', async () => {
      const { data } = await getOrder(live, order.id);
      return data?.order.status === 'quoted' ? data.order : undefined;
    });
    expect(quoted.metrics?.triangles).toBe(400 * 300 * 2);
  });

  it('offers the repaired model for download when the engine repaired something', async () => {
    // Prepare: a ring with one face wound the wrong way (a safe repair: unify orientation).
    const ring = torusStl(9, 1.2);
    const v1 = 84 + 12;
    const first = ring.slice(v1, v1 + 12);
    ring.copyWithin(v1, v1 + 12, v1 + 24);
    ring.set(first, v1 + 12);
    const { order, upload } = await createOrder(live, ring.length);
    // Act
    await uploadModel(live, order.id, upload, ring);
    const quoted = await waitFor('the quote', async () => {
      const { data } = await getOrder(live, order.id);
      return data?.order.status === 'quoted' ? data.order : undefined;
    });
    const repaired = new Uint8Array(await (await fetch(quoted.downloads?.repairedModel ?? '')).arrayBuffer());
    // Assess
    expect(repaired.length).toBe(ring.length);
    expect(new DataView(repaired.buffer).getUint32(80, true)).toBe(new DataView(ring.buffer).getUint32(80, true));
    const report = await (await fetch(quoted.downloads?.report ?? '')).json();
    expect(report.repairs.map((r: { kind: string }) => r.kind).join(' ')).toMatch(/orient/);
  });

  it('lists orders newest first by status, through sealed cursors', async () => {
    // Prepare
    const made = [];
    for (const ref of ['L-1', 'L-2', 'L-3']) made.push((await createOrder(live, 684, ref)).order.id);
    // Act
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const { data, error } = await live.GET('/v1/orders', {
        params: { query: { status: 'awaiting_upload', limit: 2, ...(cursor ? { cursor } : {}) } },
      });
      if (!data) throw new Error(JSON.stringify(error));
      seen.push(...data.orders.map((o) => o.id));
      cursor = data.nextCursor;
    } while (cursor);
    // Assess
    expect(seen.slice(0, 3)).toEqual([...made].reverse());
    const first = await live.GET('/v1/orders', { params: { query: { limit: 1 } } });
    const sealed = first.data?.nextCursor ?? '';
    const edited = `${sealed.slice(0, 10)}${sealed[10] === 'A' ? 'B' : 'A'}${sealed.slice(11)}`;
    const tampered = await live.GET('/v1/orders', { params: { query: { limit: 1, cursor: edited } } });
    expect(tampered.response.status).toBe(400);
    expect(tampered.error?.errors?.[0]?.path).toBe('cursor');
    const foreign = await other.GET('/v1/orders', { params: { query: { limit: 1, cursor: sealed } } });
    expect(foreign.response.status).toBe(400);
  });

  it('cancels an order before production, once', async () => {
    const { order } = await createOrder(live);
    const path = { params: { path: { orderId: order.id } } };
    const cancelled = await live.POST('/v1/orders/{orderId}/cancel', { ...path, body: { reason: 'duplicate' } });
    expect(cancelled.data?.order.status).toBe('cancelled');
    expect(cancelled.data?.order.cancellation?.reason).toBe('duplicate');
    expect((await live.POST('/v1/orders/{orderId}/cancel', path)).data?.order.status).toBe('cancelled');
    const confirm = await live.POST('/v1/orders/{orderId}/confirm', { ...path, body: {} });
    expect(confirm.response.status).toBe(409);
    expect(confirm.error?.type).toBe('https://facet.dev/problems/conflict');
  });

  it('shows another company nothing of ours: every endpoint answers 404, lists and cursors hold none of it', async () => {
    // Prepare
    const { order, upload } = await createOrder(live);
    const hook = await live.POST('/v1/webhooks', {
      body: { url: 'http://127.0.0.1:9/hooks/ours', events: ['*'] },
    });
    const webhookId = hook.data?.webhook.id ?? '';
    expect(webhookId).not.toBe('');
    const orderPath = { params: { path: { orderId: order.id } } };
    const hookPath = { params: { path: { webhookId } } };
    // Act
    const answers = [
      await getOrder(other, order.id),
      await other.POST('/v1/orders/{orderId}/files/{fileId}/complete', {
        params: { path: { orderId: order.id, fileId: upload.fileId } },
        body: { parts: [{ partNumber: 1, etag: '"x"' }] },
      }),
      await other.GET('/v1/orders/{orderId}/files/{fileId}', {
        params: { path: { orderId: order.id, fileId: upload.fileId } },
      }),
      await other.POST('/v1/orders/{orderId}/cancel', orderPath),
      await other.POST('/v1/orders/{orderId}/files', { ...orderPath, body: { file: { name: 'x.stl', size: 10 } } }),
      await other.POST('/v1/orders/{orderId}/confirm', { ...orderPath, body: {} }),
      await other.GET('/v1/webhooks/{webhookId}', hookPath),
      await other.DELETE('/v1/webhooks/{webhookId}', hookPath),
      await other.POST('/v1/webhooks/{webhookId}/rotate-secret', hookPath),
      await other.GET('/v1/webhooks/{webhookId}/deliveries', hookPath),
      await other.POST('/v1/webhooks/{webhookId}/deliveries/{deliveryId}/replay', {
        params: { path: { webhookId, deliveryId: 'whd_x' } },
      }),
    ];
    // Assess
    for (const answer of answers) {
      expect(answer.response.status, answer.response.url).toBe(404);
      const text = JSON.stringify(answer.error);
      expect(text).not.toContain(cloud.demo.tenantId);
      expect(text).not.toContain('ring.stl');
    }
    const { data: theirs } = await other.GET('/v1/orders', { params: { query: { limit: 100 } } });
    expect(theirs?.orders).toEqual([]);
    const { data: hooks } = await other.GET('/v1/webhooks');
    expect(JSON.stringify(hooks)).not.toContain(webhookId);
    expect((await getOrder(live, order.id)).data?.order.status).toBe('awaiting_upload');
  });

  it('refuses fields a client may not set (status, price, tenant, results) by name', async () => {
    const forged = {
      ...orderRequest(684),
      status: 'confirmed',
      tenantId: 'ten_someone_else',
      quote: { total: 1 },
      result: { reportKey: 'x' },
    };
    const created = await live.POST('/v1/orders', { body: forged as never });
    expect(created.response.status).toBe(400);
    expect(created.error?.errors?.map((e) => e.message).join(' ')).toMatch(/status|tenantId|quote|result/);
    const { order } = await createOrder(live);
    const confirm = await live.POST('/v1/orders/{orderId}/confirm', {
      params: { path: { orderId: order.id } },
      body: { status: 'delivered', total: 0 } as never,
    });
    expect(confirm.response.status).toBe(400);
    expect((await getOrder(live, order.id)).data?.order.status).toBe('awaiting_upload');
  });

  it("shows a key its usage plan and today's use, and answers a burst beyond it with 429 and Retry-After", async () => {
    // Prepare
    const busy = await newCompany(cloud, 'Busy Rings');
    const client = createFacetClient({ baseUrl: cloud.apiUrl, apiKey: busy.apiKey, fetch: contract.fetch });
    // Act
    const first = await client.GET('/v1/usage');
    const burst = await Promise.all(Array.from({ length: 220 }, () => client.GET('/v1/usage')));
    // Assess
    expect(first.data?.plan).toEqual({ rateLimitPerSecond: 50, burstLimit: 100, quotaPerDay: 10_000 });
    expect(first.data?.today.used).toBe(1);
    const limited = burst.filter((r) => r.response.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(Number(limited[0]?.response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited[0]?.error?.type).toBe('https://facet.dev/problems/rate-limited');
    await new Promise((r) => setTimeout(r, 1_500));
    const after = await client.GET('/v1/usage');
    expect(after.data?.today.used).toBe(1 + (burst.length - limited.length) + 1);
  });

  it('refuses a revoked key at once, while the rotated-in key works', async () => {
    // Prepare: rotation = issue a new key, then revoke the old one.
    const old = await newCompany(cloud, 'Rotating Co');
    const fresh = await issueApiKey(old.store, old.tenantId, 'live');
    const client = (apiKey: string) => createFacetClient({ baseUrl: cloud.apiUrl, apiKey, fetch: contract.fetch });
    expect((await client(old.apiKey).GET('/v1/orders')).response.status).toBe(200);
    // Act
    await revokeApiKey(old.store, old.tenantId, old.keyId);
    // Assess
    const refused = await client(old.apiKey).GET('/v1/orders');
    expect(refused.response.status).toBe(403);
    expect(refused.error?.type).toBe('https://facet.dev/problems/forbidden');
    expect((await client(fresh.apiKey).GET('/v1/orders')).response.status).toBe(200);
  });

  it('kept every exchange within the OpenAPI document', () => {
    expect(contract.violations).toEqual([]);
    expect(contract.exchanges).toBeGreaterThan(30);
  });
});
