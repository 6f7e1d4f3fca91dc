import { createOrderResponse, orderResponse, problem } from '@facet/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local/cloud/cloud.ts';
import { readOutbox } from '../../local/cloud/outbox.ts';
import { withLocalCloud } from '../../local/testing/local-cloud.ts';
import { ClientsApi, waitFor } from '../../local/tools/clients-api.ts';
import { torusStl } from '../../local/tools/sample-models.ts';
import { otherCompanyApi } from './companies.ts';
import { type ContractChecker, contractFor } from './contract.ts';

/** The order path of issue 2, through HTTP against the whole local cloud. */
describe('order path through the local cloud', () => {
  let cloud: LocalCloud;
  let api: ClientsApi;
  let contract: ContractChecker;

  const suiteCloud = withLocalCloud({
    workers: 1,
    log: () => undefined,
  });
  beforeAll(async () => {
    cloud = suiteCloud();
    contract = await contractFor(cloud.apiUrl);
    api = new ClientsApi(cloud.apiUrl, cloud.demo.apiKey, contract.fetch);
  });

  const newOrder = (size: number, name = 'ring.stl') => ({
    reference: 'PO-1001',
    dueDate: '2030-06-30',
    items: [{ alloy: 'au750y', quantity: 2 }],
    file: { name, size },
  });

  async function placeOrder(bytes: Uint8Array, name?: string) {
    const created = await api.request('POST', '/v1/orders', newOrder(bytes.length, name));
    expect(created.status).toBe(201);
    const body = createOrderResponse.parse(created.body);
    const parts = await ClientsApi.uploadParts(bytes, body.upload);
    const completed = await api.request('POST', body.upload.completeUrl, { parts });
    expect(completed.status).toBe(202);
    return body.order.id;
  }

  const settled = (id: string) =>
    waitFor(`order ${id} to settle`, async () => {
      const res = await api.request('GET', `/v1/orders/${id}`);
      return ['quoted', 'rejected', 'failed'].includes(res.body?.order?.status) ? res : undefined;
    });

  it('quotes an uploaded ring, emails the quote and links the report', async () => {
    // Prepare
    const ring = torusStl(9, 1.2);
    // Act
    const id = await placeOrder(ring);
    const res = await settled(id);
    // Assess
    const { order } = orderResponse.parse(res.body);
    expect(order.status).toBe('quoted');
    const exactVolume = 2 * Math.PI ** 2 * 9 * 1.2 ** 2;
    expect(order.metrics?.volumeMm3).toBeGreaterThan(exactVolume * 0.97);
    expect(order.metrics?.volumeMm3).toBeLessThan(exactVolume * 1.01);
    expect(order.metrics?.weightGrams).toBeGreaterThan(0);
    expect(order.quote?.total).toBeGreaterThan(0);
    expect(order.quote?.lines.length).toBeGreaterThan(1);
    const report = await fetch(order.reportUrl ?? '');
    expect(report.status).toBe(200);
    expect(await report.json()).toMatchObject({ schemaVersion: 1 });
    const mail = await waitFor('the quote email', async () =>
      (await readOutbox(cloud.outboxDir)).find((m) => m.subject.includes(id)),
    );
    expect(mail.to).toBe('orders@aurum-demo.example');
    expect(mail.subject).toContain('Quote ready');
  });

  it('rejects a file that is not a 3D model, with a reason a customer can read', async () => {
    const html = new TextEncoder().encode('<!doctype html><html><body>not a model</body></html>');
    const id = await placeOrder(html, 'renamed.stl');
    const { body } = await settled(id);
    expect(body.order.status).toBe('rejected');
    expect(body.order.rejection.reasons.join(' ')).toMatch(/model|STL|OBJ|3MF/i);
  });

  it('refuses a missing key with 401 and an unknown key with 403, as problem+json', async () => {
    const anonymous = await new ClientsApi(cloud.apiUrl, undefined, contract.fetch).request('GET', '/v1/orders/ord_x');
    expect(anonymous.status).toBe(401);
    expect(anonymous.contentType).toContain('application/problem+json');
    const unknown = await new ClientsApi(cloud.apiUrl, 'fct_live_not-a-key', contract.fetch).request(
      'GET',
      '/v1/orders/ord_x',
    );
    expect(unknown.status).toBe(403);
    expect(problem.parse(unknown.body).status).toBe(403);
  });

  it('answers an invalid body with 400 and the field paths', async () => {
    const res = await api.request('POST', '/v1/orders', {
      dueDate: 'tomorrow',
      items: [{ alloy: 'au750y', quantity: 0 }],
      file: { name: 'a.stl' },
      status: 'quoted',
    });
    expect(res.status).toBe(400);
    expect(res.contentType).toContain('application/problem+json');
    const paths = problem.parse(res.body).errors?.map((e) => e.path) ?? [];
    expect(paths).toEqual(expect.arrayContaining(['dueDate', 'items.0.quantity', 'file.size']));
    expect(paths.some((p) => p === '(body)' || p === 'status' || p === '')).toBe(true);
    const broken = await api.request('POST', '/v1/orders', '{"dueDate":');
    expect(broken.status).toBe(400);
  });

  it('answers a retried POST with the same Idempotency-Key once, and 422 for another body', async () => {
    const headers = { 'idempotency-key': `retry-${Date.now()}` };
    const first = await api.request('POST', '/v1/orders', newOrder(2048), headers);
    const retry = await api.request('POST', '/v1/orders', newOrder(2048), headers);
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body.order.id).toBe(first.body.order.id);
    const other = await api.request('POST', '/v1/orders', newOrder(4096), headers);
    expect(other.status).toBe(422);
    expect(problem.parse(other.body).type).toContain('idempotency-mismatch');
  });

  it("hides another company's order behind a 404", async () => {
    const created = await api.request('POST', '/v1/orders', newOrder(1000));
    const { order } = createOrderResponse.parse(created.body);
    const other = await otherCompanyApi(cloud, contract.fetch);
    const res = await other.request('GET', `/v1/orders/${order.id}`);
    expect(res.status).toBe(404);
    expect(JSON.stringify(res.body)).not.toContain('PO-1001');
    const unknown = await api.request('GET', '/v1/orders/ord_does_not_exist');
    expect(unknown.status).toBe(404);
  });

  it('kept every exchange within the OpenAPI document', () => {
    expect(contract.violations).toEqual([]);
    expect(contract.exchanges).toBeGreaterThan(10);
  });
});
