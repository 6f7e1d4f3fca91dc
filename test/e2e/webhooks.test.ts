import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import {
  createOrderResponse,
  createWebhookResponse,
  problem,
  rotateWebhookSecretResponse,
  webhookDeliveryListResponse,
  webhookDeliveryResponse,
  webhookListResponse,
  webhookPayload,
} from '@facet/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local/cloud/cloud.ts';
import { readWebhookInbox } from '../../local/cloud/outbox.ts';
import { withLocalCloud } from '../../local/testing/local-cloud.ts';
import { ClientsApi, waitFor } from '../../local/tools/clients-api.ts';
import { torusStl } from '../../local/tools/sample-models.ts';
import { otherCompanyApi } from './companies.ts';
import { type ContractChecker, contractFor } from './contract.ts';
import { portsInRange } from './ports-in-range.ts';

interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** A company's receiver on 127.0.0.1: `/ok` answers 200; `/flaky` answers 500 the first time it sees a webhook-id. */
async function startReceiver(port: number): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const seen = new Set<string>();
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      received.push({ path: req.url ?? '', headers, body });
      const id = headers['webhook-id'] ?? '';
      const fail = req.url === '/flaky' && !seen.has(id);
      seen.add(id);
      res.writeHead(fail ? 500 : 200).end();
    });
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${port}`, received, server };
}

/** Verifies as a company would, with node:crypto only (Standard Webhooks). */
function signedWith(secret: string, r: Received): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const content = `${r.headers['webhook-id']}.${r.headers['webhook-timestamp']}.${r.body}`;
  const expected = Buffer.from(`v1,${createHmac('sha256', key).update(content).digest('base64')}`);
  return (r.headers['webhook-signature'] ?? '').split(' ').some((s) => {
    const given = Buffer.from(s);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

/** Webhooks of issue 5 through HTTP against the whole local cloud (ports 4750–4799). */
describe('webhooks through the local cloud', () => {
  let cloud: LocalCloud;
  let api: ClientsApi;
  let contract: ContractChecker;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  const suiteCloud = withLocalCloud(async () => {
    const [apiPort, outbox, dynamodb, sqs, s3, receiverPort] = await portsInRange(6, 4750, 4799);
    receiver = await startReceiver(receiverPort ?? 0);
    return {
      ports: { api: apiPort, outbox, dynamodb, sqs, s3 },
      // Retries a second apart, so the retry path runs within the test.
      env: { WEBHOOK_BACKOFF_SECONDS: '1,1,1' },
    };
  });
  beforeAll(async () => {
    cloud = suiteCloud();
    contract = await contractFor(cloud.apiUrl);
    api = new ClientsApi(cloud.apiUrl, cloud.demo.apiKey, contract.fetch);
  });
  afterAll(async () => {
    await new Promise((r) => receiver?.server.close(r));
  });

  const register = async (path: string, events: string[]) => {
    const res = await api.request('POST', '/v1/webhooks', { url: `${receiver.url}${path}`, events });
    expect(res.status).toBe(201);
    return createWebhookResponse.parse(res.body).webhook;
  };

  async function placeOrder(reference: string) {
    const bytes = torusStl(9, 1.2);
    const created = await api.request('POST', '/v1/orders', {
      reference,
      dueDate: '2030-06-30',
      items: [{ alloy: 'au750y', quantity: 1 }],
      file: { name: 'ring.stl', size: bytes.length },
    });
    expect(created.status).toBe(201);
    const body = createOrderResponse.parse(created.body);
    const parts = await ClientsApi.uploadParts(bytes, body.upload);
    expect((await api.request('POST', body.upload.completeUrl, { parts })).status).toBe(202);
    return body.order.id;
  }

  const deliveriesTo = (path: string, orderId: string) =>
    receiver.received.filter(
      (r) => r.path === path && webhookPayload.parse(JSON.parse(r.body)).data.orderId === orderId,
    );

  const typesOf = (rs: Received[]) => rs.map((r) => webhookPayload.parse(JSON.parse(r.body)).type);

  let all: Awaited<ReturnType<typeof register>>;
  let flaky: Awaited<ReturnType<typeof register>>;
  let orderId: string;

  it('delivers signed order.created, order.queued and order.calculated as the order moves', async () => {
    // Prepare
    all = await register('/ok', ['*']);
    flaky = await register('/flaky', ['order.created']);
    expect(all.secret).toMatch(/^whsec_/);
    // Act
    orderId = await placeOrder('PO-WH-1');
    // Assess
    const got = await waitFor('the calculated webhook', async () => {
      const rs = deliveriesTo('/ok', orderId);
      return typesOf(rs).includes('order.calculated') ? rs : undefined;
    });
    expect(typesOf(got)).toEqual(expect.arrayContaining(['order.created', 'order.queued', 'order.calculated']));
    for (const r of got) {
      expect(signedWith(all.secret, r), r.body).toBe(true);
      expect(signedWith(flaky.secret, r)).toBe(false);
      expect(Math.abs(Number(r.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(120);
      expect(r.headers['content-type']).toBe('application/json');
    }
    const calculated = got.find((r) => typesOf([r])[0] === 'order.calculated');
    expect(JSON.parse(calculated?.body ?? '{}')).toMatchObject({
      data: { orderId, status: 'quoted', reference: 'PO-WH-1' },
    });
  });

  it('delivers again, later, to a receiver that answered 500, with the same webhook-id', async () => {
    const attempts = await waitFor('the retried delivery', async () => {
      const rs = deliveriesTo('/flaky', orderId);
      return rs.length >= 2 ? rs : undefined;
    });
    expect(typesOf(attempts)).toEqual(['order.created', 'order.created']);
    expect(attempts[0]?.headers['webhook-id']).toBe(attempts[1]?.headers['webhook-id']);
    expect(attempts.every((r) => signedWith(flaky.secret, r))).toBe(true);
    const listed = await waitFor('the delivery to show succeeded', async () => {
      const res = await api.request('GET', `/v1/webhooks/${flaky.id}/deliveries`);
      const { deliveries } = webhookDeliveryListResponse.parse(res.body);
      const d = deliveries.find((x) => x.eventType === 'order.created' && x.status === 'succeeded');
      return d;
    });
    expect(listed).toMatchObject({ attempts: 2, lastResponseStatus: 200, id: attempts[0]?.headers['webhook-id'] });
  });

  it('lists deliveries with their status, newest first, and replays one by id', async () => {
    const res = await api.request('GET', `/v1/webhooks/${all.id}/deliveries?limit=50`);
    expect(res.status).toBe(200);
    const { deliveries } = webhookDeliveryListResponse.parse(res.body);
    const created = deliveries.find((d) => d.eventType === 'order.created');
    expect(created).toMatchObject({ status: 'succeeded', attempts: 1, lastResponseStatus: 200 });
    const ids = deliveries.map((d) => d.id);
    expect(ids).toEqual([...ids].sort().reverse());
    expect((await api.request('GET', `/v1/webhooks/${all.id}/deliveries?limit=0`)).status).toBe(400);

    const before = receiver.received.filter((r) => r.headers['webhook-id'] === created?.id).length;
    const replay = await api.request('POST', `/v1/webhooks/${all.id}/deliveries/${created?.id}/replay`);
    expect(replay.status).toBe(202);
    expect(webhookDeliveryResponse.parse(replay.body).delivery.status).toBe('pending');
    await waitFor('the replayed delivery', async () =>
      receiver.received.filter((r) => r.headers['webhook-id'] === created?.id).length > before ? true : undefined,
    );
    const after = await waitFor('the replay to settle', async () => {
      const list = webhookDeliveryListResponse.parse(
        (await api.request('GET', `/v1/webhooks/${all.id}/deliveries?limit=50`)).body,
      );
      const d = list.deliveries.find((x) => x.id === created?.id);
      return d?.status === 'succeeded' && d.attempts === 2 ? d : undefined;
    });
    expect(after.attempts).toBe(2);
  });

  it("answers another company's endpoint and deliveries with 404 and shows it nothing", async () => {
    const other = await otherCompanyApi(cloud, contract.fetch);
    const deliveryId = webhookDeliveryListResponse.parse(
      (await api.request('GET', `/v1/webhooks/${all.id}/deliveries`)).body,
    ).deliveries[0]?.id;
    for (const [method, path] of [
      ['GET', `/v1/webhooks/${all.id}`],
      ['GET', `/v1/webhooks/${all.id}/deliveries`],
      ['POST', `/v1/webhooks/${all.id}/deliveries/${deliveryId}/replay`],
      ['POST', `/v1/webhooks/${all.id}/rotate-secret`],
      ['DELETE', `/v1/webhooks/${all.id}`],
    ] as const) {
      const res = await other.request(method, path);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(problem.parse(res.body).type).toContain('not-found');
      expect(JSON.stringify(res.body)).not.toContain(receiver.url);
    }
    const list = await other.request('GET', '/v1/webhooks');
    expect(webhookListResponse.parse(list.body).webhooks).toEqual([]);
    expect((await api.request('GET', `/v1/webhooks/${all.id}`)).status).toBe(200);
  });

  it('rotation: deliveries carry signatures of the new and the previous secret', async () => {
    const res = await api.request('POST', `/v1/webhooks/${all.id}/rotate-secret`);
    expect(res.status).toBe(200);
    const rotated = rotateWebhookSecretResponse.parse(res.body).webhook;
    expect(rotated.secret).not.toBe(all.secret);
    const created = await api.request('POST', '/v1/orders', {
      dueDate: '2030-06-30',
      items: [{ alloy: 'ag925', quantity: 1 }],
      file: { name: 'b.stl', size: 1000 },
    });
    const next = createOrderResponse.parse(created.body).order.id;
    const [delivery] = await waitFor('the order.created after rotation', async () => {
      const rs = deliveriesTo('/ok', next);
      return rs.length ? rs : undefined;
    });
    expect(delivery?.headers['webhook-signature']?.split(' ')).toHaveLength(2);
    expect(signedWith(rotated.secret, delivery as Received)).toBe(true);
    expect(signedWith(all.secret, delivery as Received)).toBe(true);
  });

  it('refuses a URL with credentials, and unknown fields, with field paths', async () => {
    const res = await api.request('POST', '/v1/webhooks', {
      url: `http://user:pw@127.0.0.1:1/x`,
      events: ['*'],
    });
    expect(res.status).toBe(400);
    expect(problem.parse(res.body).errors?.map((e) => e.path)).toEqual(['url']);
    const extra = await api.request('POST', '/v1/webhooks', { url: `${receiver.url}/ok`, events: ['*'], secret: 'x' });
    expect(extra.status).toBe(400);
  });

  it('the outbox inbox stores what is posted to /hooks/<name>, for trying webhooks by hand', async () => {
    const inbox = `${cloud.webhookInboxUrl}try-me`;
    const hook = await api.request('POST', '/v1/webhooks', { url: inbox, events: ['order.created'] });
    expect(hook.status).toBe(201);
    await api.request('POST', '/v1/orders', {
      dueDate: '2030-06-30',
      items: [{ alloy: 'ag925', quantity: 1 }],
      file: { name: 'c.stl', size: 1000 },
    });
    const stored = await waitFor('the inbox to receive', async () => {
      const hooks = await readWebhookInbox(join(cloud.outboxDir, '..', 'webhooks'));
      return hooks.find((h) => h.name === 'try-me');
    });
    expect(stored.headers['webhook-signature']).toMatch(/^v1,/);
    const page = await (await fetch(cloud.outboxUrl)).text();
    expect(page).toContain('/hooks/try-me');
  });

  it('kept every exchange within the OpenAPI document', () => {
    expect(contract.violations).toEqual([]);
    expect(contract.exchanges).toBeGreaterThan(10);
  });
});
