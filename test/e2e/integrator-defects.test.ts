import { createOrderResponse, problem, referenceView } from '@facet/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local/cloud/cloud.ts';
import { withLocalCloud } from '../../local/testing/local-cloud.ts';
import { ClientsApi, waitFor } from '../../local/tools/clients-api.ts';
import { torusStl } from '../../local/tools/sample-models.ts';
import { type ContractChecker, contractFor } from './contract.ts';

/**
 * Issue 9: what a new integrator sent that the Clients API and the local cloud did not hold against. Each case
 * failed on the main of 2026-11-24 and must hold now.
 */
describe('what integrators actually send', () => {
  let cloud: LocalCloud;
  let api: ClientsApi;
  let contract: ContractChecker;
  const suiteCloud = withLocalCloud({ workers: 1 });
  beforeAll(async () => {
    cloud = suiteCloud();
    contract = await contractFor(cloud.apiUrl);
    api = new ClientsApi(cloud.apiUrl, cloud.demo.apiKey, contract.fetch);
  });

  const order = (size: number, extra: Record<string, unknown> = {}, name = 'ring.stl') => ({
    dueDate: '2030-06-30',
    items: [{ alloy: 'au750y', quantity: 1 }],
    file: { name, size },
    ...extra,
  });
  const create = async (size: number, name?: string) =>
    createOrderResponse.parse((await api.request('POST', '/v1/orders', order(size, {}, name))).body);
  const put = (url: string, body: Uint8Array) => fetch(url, { method: 'PUT', body: Buffer.from(body) });

  it('holds the declared size: more bytes than declared are refused, and complete names the part', async () => {
    // Prepare: 1,000 bytes declared, 5,084 sent
    const ring = torusStl(9, 1.2, 12, 8);
    const { order: created, upload } = await create(1000);
    // Act
    const tooLong = await put(upload.parts[0]?.url ?? '', ring.subarray(0, 5084));
    const complete = await api.request('POST', upload.completeUrl, {
      parts: [{ partNumber: 1, etag: tooLong.headers.get('etag') ?? '"none"' }],
    });
    // Assess: storage refuses a body of another length than the one signed; nothing is queued
    expect(tooLong.status).toBe(403);
    expect(complete.status).toBe(400);
    expect(problem.parse(complete.body).errors).toEqual([{ path: 'parts.0', message: 'part 1 has not been uploaded' }]);
    const after = await api.request('GET', `/v1/orders/${created.id}`);
    expect(after.body.order.status).toBe('awaiting_upload');
  });

  it('answers a part never uploaded, or a wrong ETag, with 400 — and the local cloud keeps serving', async () => {
    const ring = torusStl(9, 1.2, 12, 8);
    const { upload } = await create(ring.length);
    const missing = await api.request('POST', upload.completeUrl, { parts: [{ partNumber: 1, etag: '"abc"' }] });
    expect(missing.status).toBe(400);
    const uploaded = await put(upload.parts[0]?.url ?? '', ring);
    expect(uploaded.status).toBe(200);
    const wrong = await api.request('POST', upload.completeUrl, {
      parts: [{ partNumber: 1, etag: '"0123456789abcdef"' }],
    });
    expect(wrong.status).toBe(400);
    expect(problem.parse(wrong.body).errors?.[0]?.path).toBe('parts.0.etag');
    expect((await api.request('GET', '/v1/usage')).status).toBe(200);
  });

  it('refuses impossible dates, control characters, broken Unicode and bodies that are not JSON, naming the field', async () => {
    const cases: [unknown, string][] = [
      [order(100, { dueDate: '2030-02-31' }), 'dueDate'],
      [order(100, { reference: 'PO\u0000-1' }), 'reference'],
      [order(100, {}, 'ring\uD800.stl'), 'file.name'],
      [order(100, { items: [{ alloy: 'gold', quantity: 1 }] }), 'items.0.alloy'],
    ];
    for (const [body, path] of cases) {
      const res = await api.request('POST', '/v1/orders', body);
      expect(res.status, path).toBe(400);
      expect(
        problem.parse(res.body).errors?.map((e) => e.path),
        path,
      ).toContain(path);
    }
    const plain = await api.request('POST', '/v1/orders', JSON.stringify(order(100)), { 'content-type': 'text/plain' });
    expect(plain.status).toBe(415);
    expect(plain.contentType).toContain('application/problem+json');
  });

  it('refuses any body on the routes that take none', async () => {
    const hook = await api.request('POST', '/v1/webhooks', { url: `${cloud.webhookInboxUrl}defects`, events: ['*'] });
    expect(hook.status).toBe(201);
    const id = hook.body.webhook.id as string;
    for (const body of ['{"oops":', 'x'.repeat(2 * 1024 * 1024)]) {
      const res = await api.request('POST', `/v1/webhooks/${id}/rotate-secret`, body);
      expect(res.status).toBe(400);
      expect(problem.parse(res.body).errors).toEqual([{ path: 'body', message: 'must be empty' }]);
    }
  });

  it('describes random bytes uploaded as model.obj by what they look like, and what we accept', async () => {
    const junk = new Uint8Array(5084).map((_, i) => (i * 7919 + 13) % 251);
    const { order: created, upload } = await create(junk.length, 'model.obj');
    const part = await put(upload.parts[0]?.url ?? '', junk);
    await api.request('POST', upload.completeUrl, { parts: [{ partNumber: 1, etag: part.headers.get('etag') }] });
    const settled = await waitFor('the rejection', async () => {
      const res = await api.request('GET', `/v1/orders/${created.id}`);
      return res.body.order.status === 'rejected' ? res.body.order : undefined;
    });
    const reason = settled.rejection.reasons.join(' ');
    expect(reason).not.toMatch(/truncated/);
    expect(reason).toMatch(/STL.*OBJ.*3MF/);
  });

  it('refuses link-local and metadata webhook targets, even locally', async () => {
    const res = await api.request('POST', '/v1/webhooks', {
      url: 'http://169.254.169.254/latest/meta-data/',
      events: ['*'],
    });
    expect(res.status).toBe(400);
    expect(problem.parse(res.body).errors?.[0]?.path).toBe('url');
  });

  it('publishes the alloys with their densities, the rules and the report schema', async () => {
    const res = await fetch(`${cloud.apiUrl}/v1/reference`);
    const reference = referenceView.parse(await res.json());
    expect(reference.alloys.find((a) => a.id === 'au750y')).toMatchObject({
      densityGPerCm3: 15.58,
      densitySource: 'Stuller',
    });
    expect(reference.rules.sprueAllowance).toBe(0.1);
    expect(reference.reportSchema).toHaveProperty('properties.weights');
  });

  it('kept every exchange within the OpenAPI document', () => {
    expect(contract.violations).toEqual([]);
  });
});
