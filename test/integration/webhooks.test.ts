import { createServer, type Server } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { dynamoClient, snsClient, sqsClient } from '@facet/adapters/aws-clients';
import { DynamoWebhookStore } from '@facet/adapters/dynamo-webhook-store';
import { FetchWebhookSender, SqsWebhookRetryQueue } from '@facet/adapters/webhook-http';
import type { WebhookDelivery, WebhookEndpoint } from '@facet/domain/webhooks/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, emulatorEnv, startDynamoDbLocal, startSqsSns } from '../../local/cloud/emulators.ts';
import { ensureResources, type LocalResources } from '../../local/cloud/resources.ts';
import { portInRange } from '../e2e/ports-in-range.ts';

/** The webhook adapters against DynamoDB Local and fauxqs, on ports 4720–4739 (see portInRange). */
let emulators: Emulator[] = [];
let res: LocalResources;
beforeAll(async () => {
  const dynamodb = await startDynamoDbLocal(await portInRange(4720, 4729));
  const sqsSns = await startSqsSns(await portInRange(4730, 4739));
  emulators = [dynamodb, sqsSns];
  Object.assign(
    process.env,
    emulatorEnv({ dynamodb, sqsSns, s3: { endpoint: 'http://127.0.0.1:1', stop: async () => {} } }),
  );
  res = await ensureResources({ dynamo: new DynamoDBClient({}), sqs: sqsClient(), sns: snsClient() });
});
afterAll(async () => {
  await Promise.all(emulators.map((e) => e.stop()));
});

const endpoint = (tenantId: string, id: string): WebhookEndpoint => ({
  tenantId,
  id,
  url: 'https://erp.example.com/hooks',
  events: ['*'],
  status: 'enabled',
  secret: 'whsec_c2VjcmV0',
  createdAt: '2030-01-01T00:00:00.000Z',
  updatedAt: '2030-01-01T00:00:00.000Z',
});

const delivery = (id: string, over: Partial<WebhookDelivery> = {}): WebhookDelivery => ({
  tenantId: 'ten_a',
  id,
  webhookId: 'whk_1',
  eventId: `evt-${id}`,
  eventType: 'order.created',
  payload: '{"type":"order.created"}',
  status: 'pending',
  attempts: 0,
  cycleAttempts: 0,
  createdAt: '2030-01-01T00:00:00.000Z',
  revision: 0,
  ...over,
});

describe('DynamoWebhookStore on DynamoDB Local', () => {
  it("keeps endpoints under their tenant: another tenant's id finds nothing and deletes nothing", async () => {
    // Prepare
    const store = new DynamoWebhookStore(dynamoClient(), res.tableName);
    await store.createEndpoint(endpoint('ten_a', 'whk_1'));
    await store.createEndpoint(endpoint('ten_a', 'whk_2'));
    await store.createDelivery(delivery('whd_a'));
    // Act
    const listed = await store.listEndpoints('ten_a');
    // Assess
    expect(listed.map((e) => e.id)).toEqual(['whk_1', 'whk_2']);
    expect(listed[0]).toEqual(endpoint('ten_a', 'whk_1'));
    expect(await store.listEndpoints('ten_b')).toEqual([]);
    expect(await store.getEndpoint('ten_b', 'whk_1')).toBeUndefined();
    expect(await store.deleteEndpoint('ten_b', 'whk_1')).toBe(false);
    expect(await store.updateEndpoint(endpoint('ten_b', 'whk_1'))).toBe(false);
    expect(await store.getDelivery('ten_b', 'whk_1', 'whd_a')).toBeUndefined();
    expect(await store.listDeliveries('ten_b', 'whk_1', 10)).toEqual([]);
    expect(await store.deleteEndpoint('ten_a', 'whk_2')).toBe(true);
    expect((await store.listEndpoints('ten_a')).map((e) => e.id)).toEqual(['whk_1']);
  });

  it('creates a delivery once by id and writes it only at the expected revision', async () => {
    const store = new DynamoWebhookStore(dynamoClient(), res.tableName);
    const first = await store.createDelivery(delivery('whd_b'));
    const again = await store.createDelivery(delivery('whd_b', { createdAt: '2031-01-01T00:00:00.000Z' }));
    expect(first.created).toBe(true);
    expect(again).toEqual({ delivery: delivery('whd_b'), created: false });
    const attempted = delivery('whd_b', { attempts: 1, status: 'succeeded', lastResponseStatus: 200, revision: 1 });
    expect(await store.saveDelivery(attempted, 0)).toBe(true);
    expect(await store.saveDelivery({ ...attempted, status: 'failed', revision: 1 }, 0)).toBe(false);
    expect(await store.getDelivery('ten_a', 'whk_1', 'whd_b')).toEqual(attempted);
  });

  it('lists an endpoint’s deliveries newest id first, up to the limit, and no other endpoint’s', async () => {
    const store = new DynamoWebhookStore(dynamoClient(), res.tableName);
    for (const id of ['whd_c1', 'whd_c3', 'whd_c2']) await store.createDelivery(delivery(id, { webhookId: 'whk_c' }));
    await store.createDelivery(delivery('whd_c9', { webhookId: 'whk_other' }));
    const listed = await store.listDeliveries('ten_a', 'whk_c', 2);
    expect(listed.map((d) => d.id)).toEqual(['whd_c3', 'whd_c2']);
  });
});

describe('SqsWebhookRetryQueue on fauxqs', () => {
  it('holds a retry back for its delay', async () => {
    const queue = new SqsWebhookRetryQueue(sqsClient(), res.queueUrls.webhookNotifications);
    const message = { kind: 'webhook.retry', tenantId: 't', webhookId: 'w', deliveryId: 'd', attempt: 2 } as const;
    await queue.send(message, 2);
    const receive = () =>
      sqsClient().send(new ReceiveMessageCommand({ QueueUrl: res.queueUrls.webhookNotifications, WaitTimeSeconds: 0 }));
    expect((await receive()).Messages ?? []).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 2500));
    const { Messages = [] } = await receive();
    expect(Messages.map((m) => JSON.parse(m.Body ?? ''))).toEqual([message]);
  });
});

describe('FetchWebhookSender', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/slow') return void setTimeout(() => res.end('late'), 1500);
      if (req.url === '/redirect') return void res.writeHead(302, { location: '/ok' }).end();
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => res.writeHead(req.url === '/fail' ? 500 : 200).end(body));
    });
    const port = await portInRange(4740, 4749);
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  const post = (path: string, timeoutMs = 1000) =>
    new FetchWebhookSender().post({ url: `${base}${path}`, headers: { 'webhook-id': 'x' }, body: '{}', timeoutMs });

  it('answers the status, never follows a redirect, and turns timeouts and refusals into errors', async () => {
    expect(await post('/ok')).toEqual({ status: 200 });
    expect(await post('/fail')).toEqual({ status: 500 });
    expect(await post('/redirect')).toEqual({ status: 302 });
    expect(await post('/slow', 300)).toEqual({ error: 'No answer within 0.3 s.' });
    const refused = await new FetchWebhookSender().post({
      url: 'http://127.0.0.1:1/',
      headers: {},
      body: '{}',
      timeoutMs: 1000,
    });
    expect(refused).toMatchObject({ error: expect.stringMatching(/Could not connect/) });
  });
});
