import { type OrderEvent, WEBHOOK_EVENT_TYPES, webhookPayload } from '@facet/contracts';
import { describe, expect, it } from 'vitest';
import { ORDER_EVENT_TYPES } from '../order-states.ts';
import type { WebhookResponse } from '../ports.ts';
import { MemoryRetryQueue, MemoryWebhookStore, ScriptedSender, StaticResolver } from '../testing/webhook-fakes.ts';
import { fanOut, handleRetry, listDeliveries, replayDelivery } from './deliveries.ts';
import type { WebhookDeliveryDeps } from './deps.ts';
import {
  deleteWebhook,
  getWebhook,
  listWebhooks,
  registerWebhook,
  rotateWebhookSecret,
  signingSecrets,
} from './endpoints.ts';
import { verify } from './signing.ts';

const resolver = new StaticResolver({ 'erp.aurum.example': ['93.184.215.14'] });

function setup(answers: WebhookResponse[] = [{ status: 204 }]) {
  let now = new Date('2030-01-01T10:00:00.000Z');
  const deps: WebhookDeliveryDeps = {
    store: new MemoryWebhookStore(),
    resolver,
    allowPrivateTargets: false,
    clock: () => now,
    sender: new ScriptedSender(answers),
    queue: new MemoryRetryQueue(),
    backoffSeconds: [30, 120],
  };
  const advance = (seconds: number) => {
    now = new Date(now.getTime() + seconds * 1000);
  };
  return {
    deps,
    store: deps.store as MemoryWebhookStore,
    sender: deps.sender as ScriptedSender,
    queue: deps.queue as MemoryRetryQueue,
    advance,
  };
}

const event = (type: string, tenantId = 'ten_a', version = 1): OrderEvent => ({
  id: `ord_1.v${version}`,
  type,
  version: 1,
  occurredAt: '2030-01-01T09:59:59.000Z',
  tenantId,
  orderId: 'ord_1',
  correlationId: 'c-1',
  data: { status: 'awaiting_upload', reference: 'PO-7' },
});

const A = { tenantId: 'ten_a', sandbox: false };
const B = { tenantId: 'ten_b', sandbox: false };

const register = (deps: WebhookDeliveryDeps, events: string[] = ['*'], owner = A) =>
  registerWebhook(deps, owner, { url: 'https://erp.aurum.example/facet', events: events as ['*'] });

describe('webhook endpoints', () => {
  it('registers an endpoint with a whsec_ secret and lists it for its company only', async () => {
    // Prepare
    const { deps } = setup();
    // Act
    const endpoint = await register(deps, ['order.calculated']);
    // Assess
    expect(endpoint.secret).toMatch(/^whsec_/);
    expect(endpoint.id).toMatch(/^whk_/);
    expect((await listWebhooks(deps, A)).map((e) => e.id)).toEqual([endpoint.id]);
    expect(await listWebhooks(deps, B)).toEqual([]);
  });

  it("answers another company's endpoint as not found, for every use case", async () => {
    const { deps } = setup();
    const endpoint = await register(deps);
    await fanOut(deps, event('order.created'));
    const [delivery] = await listDeliveries(deps, A, endpoint.id, 10);
    const notFound = { kind: 'not_found' };
    await expect(getWebhook(deps, B, endpoint.id)).rejects.toMatchObject(notFound);
    await expect(listDeliveries(deps, B, endpoint.id, 10)).rejects.toMatchObject(notFound);
    await expect(replayDelivery(deps, B, endpoint.id, delivery?.id ?? '')).rejects.toMatchObject(notFound);
    await expect(rotateWebhookSecret(deps, B, endpoint.id)).rejects.toMatchObject(notFound);
    await expect(deleteWebhook(deps, B, endpoint.id)).rejects.toMatchObject(notFound);
    expect(await getWebhook(deps, A, endpoint.id)).toMatchObject({ id: endpoint.id });
  });

  it('refuses a private target unless allowed, with the field path', async () => {
    const { deps } = setup();
    const attempt = registerWebhook(deps, A, { url: 'https://127.0.0.1/x', events: ['*'] });
    await expect(attempt).rejects.toMatchObject({ kind: 'validation', fields: [{ path: 'url' }] });
    const local = { ...deps, allowPrivateTargets: true };
    await expect(
      registerWebhook(local, A, { url: 'http://127.0.0.1:4799/hooks/a', events: ['*'] }),
    ).resolves.toMatchObject({ url: 'http://127.0.0.1:4799/hooks/a' });
  });

  it('rotation: the new and the previous secret both sign for 24 hours, then only the new one', async () => {
    const { deps, advance, sender } = setup();
    const before = await register(deps);
    const rotated = await rotateWebhookSecret(deps, A, before.id);
    expect(rotated.secret).not.toBe(before.secret);
    expect(signingSecrets(rotated, deps.clock())).toEqual([rotated.secret, before.secret]);
    await fanOut(deps, event('order.created'));
    const request = sender.requests[0];
    const headers = {
      id: request?.headers['webhook-id'] ?? '',
      timestamp: request?.headers['webhook-timestamp'] ?? '',
      signature: request?.headers['webhook-signature'] ?? '',
    };
    expect(headers.signature.split(' ')).toHaveLength(2);
    const now = deps.clock().getTime();
    expect(verify(before.secret, headers, request?.body ?? '', now)).toBe(true);
    expect(verify(rotated.secret, headers, request?.body ?? '', now)).toBe(true);
    advance(24 * 3600 + 1);
    expect(signingSecrets(rotated, deps.clock())).toEqual([rotated.secret]);
  });
});

describe('webhook fan-out and delivery', () => {
  it('delivers an event to the subscribed endpoints of its company only, signed, with the payload schema', async () => {
    // Prepare
    const { deps, sender } = setup();
    const all = await register(deps, ['*']);
    await register(deps, ['order.calculated']);
    await register(deps, ['*'], B);
    // Act
    const outcomes = await fanOut(deps, event('order.created'));
    // Assess
    expect(outcomes).toEqual(['succeeded']);
    expect(sender.requests).toHaveLength(1);
    const request = sender.requests[0];
    expect(request?.url).toBe('https://erp.aurum.example/facet');
    expect(request?.timeoutMs).toBe(10_000);
    const payload = webhookPayload.parse(JSON.parse(request?.body ?? ''));
    expect(payload).toMatchObject({
      id: 'ord_1.v1',
      type: 'order.created',
      data: { orderId: 'ord_1', reference: 'PO-7' },
    });
    const headers = request?.headers ?? {};
    expect(
      verify(
        all.secret,
        {
          id: headers['webhook-id'] ?? '',
          timestamp: headers['webhook-timestamp'] ?? '',
          signature: headers['webhook-signature'] ?? '',
        },
        request?.body ?? '',
        deps.clock().getTime(),
      ),
    ).toBe(true);
    const [delivery] = await listDeliveries(deps, A, all.id, 10);
    expect(delivery).toMatchObject({ status: 'succeeded', attempts: 1, lastResponseStatus: 204 });
    expect(headers['webhook-id']).toBe(delivery?.id);
  });

  it('creates no second delivery when SQS delivers the same event again', async () => {
    const { deps, sender, store } = setup();
    await register(deps);
    await fanOut(deps, event('order.created'));
    const again = await fanOut(deps, event('order.created'));
    expect(again).toEqual(['duplicate']);
    expect(sender.requests).toHaveLength(1);
    expect(store.deliveries.size).toBe(1);
  });

  it('retries a failed attempt later through the queue, with the same webhook-id, then succeeds', async () => {
    const { deps, sender, queue, advance } = setup([{ status: 500 }, { error: 'timeout' }, { status: 200 }]);
    const endpoint = await register(deps);
    expect(await fanOut(deps, event('order.created'))).toEqual(['pending']);
    let [delivery] = await listDeliveries(deps, A, endpoint.id, 10);
    expect(delivery).toMatchObject({ status: 'pending', attempts: 1, lastResponseStatus: 500 });
    expect(delivery?.nextAttemptAt).toBe('2030-01-01T10:00:30.000Z');
    const [first] = queue.drain();
    expect(first).toMatchObject({ delaySeconds: 30, message: { kind: 'webhook.retry', attempt: 2 } });

    advance(30);
    expect(await handleRetry(deps, first?.message ?? ({} as never))).toBe('pending');
    [delivery] = await listDeliveries(deps, A, endpoint.id, 10);
    expect(delivery).toMatchObject({ attempts: 2, lastError: 'timeout' });
    expect(delivery?.lastResponseStatus).toBeUndefined();
    const [second] = queue.drain();
    expect(second?.delaySeconds).toBe(120);

    advance(120);
    expect(await handleRetry(deps, second?.message ?? ({} as never))).toBe('succeeded');
    expect(new Set(sender.requests.map((r) => r.headers['webhook-id']))).toEqual(new Set([delivery?.id]));
    expect(queue.sent).toEqual([]);
  });

  it('gives up after the schedule: failed, no more messages', async () => {
    const { deps, queue, advance } = setup([{ status: 503 }]);
    const endpoint = await register(deps);
    await fanOut(deps, event('order.created'));
    for (const wait of [30, 120]) {
      const [next] = queue.drain();
      advance(wait);
      await handleRetry(deps, next?.message ?? ({} as never));
    }
    const [delivery] = await listDeliveries(deps, A, endpoint.id, 10);
    expect(delivery).toMatchObject({ status: 'failed', attempts: 3 });
    expect(delivery?.nextAttemptAt).toBeUndefined();
    expect(queue.sent).toEqual([]);
  });

  it('delays a retry that arrives early again, and drops a message for an attempt already made', async () => {
    const { deps, sender, queue, advance } = setup([{ status: 500 }, { status: 200 }]);
    const endpoint = await register(deps);
    const longWait = { ...deps, backoffSeconds: [3600] };
    await fanOut(longWait, event('order.created'));
    const [retry] = queue.drain();
    expect(retry?.delaySeconds).toBe(900);
    for (const remaining of [2700, 1800, 900]) {
      advance(900);
      expect(await handleRetry(longWait, retry?.message ?? ({} as never))).toBe('waiting');
      expect(queue.drain()[0]?.delaySeconds).toBe(Math.min(900, remaining));
    }
    advance(900);
    expect(await handleRetry(longWait, retry?.message ?? ({} as never))).toBe('succeeded');
    expect(await handleRetry(longWait, retry?.message ?? ({} as never))).toBe('stale');
    expect(sender.requests).toHaveLength(2);
    expect((await listDeliveries(deps, A, endpoint.id, 1))[0]?.status).toBe('succeeded');
  });

  it('replays a delivery by id: pending, queued at once, sent again with the same webhook-id', async () => {
    const { deps, sender, queue } = setup();
    const endpoint = await register(deps);
    await fanOut(deps, event('order.created'));
    const [delivery] = await listDeliveries(deps, A, endpoint.id, 10);
    const replayed = await replayDelivery(deps, A, endpoint.id, delivery?.id ?? '');
    expect(replayed.status).toBe('pending');
    const [message] = queue.drain();
    expect(message).toMatchObject({ delaySeconds: 0, message: { attempt: 2, deliveryId: delivery?.id } });
    expect(await handleRetry(deps, message?.message ?? ({} as never))).toBe('succeeded');
    expect(sender.requests.map((r) => r.headers['webhook-id'])).toEqual([delivery?.id, delivery?.id]);
    expect((await listDeliveries(deps, A, endpoint.id, 10))[0]?.attempts).toBe(2);
  });

  it('lists deliveries newest event first, up to the limit', async () => {
    const { deps } = setup();
    const endpoint = await register(deps);
    for (const [v, at] of [
      [1, '2030-01-01T09:00:00.000Z'],
      [2, '2030-01-01T09:10:00.000Z'],
      [3, '2030-01-01T09:05:00.000Z'],
    ] as const)
      await fanOut(deps, { ...event('order.created', 'ten_a', v), occurredAt: at });
    const listed = await listDeliveries(deps, A, endpoint.id, 2);
    expect(listed.map((d) => d.eventId)).toEqual(['ord_1.v2', 'ord_1.v3']);
  });

  it('ends a queued retry of a deleted endpoint without sending', async () => {
    const { deps, sender, queue, advance } = setup([{ status: 500 }]);
    const endpoint = await register(deps);
    await fanOut(deps, event('order.created'));
    await deleteWebhook(deps, A, endpoint.id);
    advance(30);
    expect(await handleRetry(deps, queue.drain()[0]?.message ?? ({} as never))).toBe('failed');
    expect(sender.requests).toHaveLength(1);
  });

  it('keeps the sandbox apart: sandbox events go to sandbox endpoints only, each key space sees its own', async () => {
    const { deps, sender } = setup();
    const sandbox = { tenantId: 'ten_a', sandbox: true };
    const live = await register(deps);
    const test = await register(deps, ['*'], sandbox);
    const sandboxEvent = event('order.created', 'ten_a', 2);
    await fanOut(deps, { ...sandboxEvent, data: { ...sandboxEvent.data, sandbox: true } });
    expect(sender.requests.map((r) => JSON.parse(r.body).data.sandbox)).toEqual([true]);
    expect((await listDeliveries(deps, sandbox, test.id, 10)).length).toBe(1);
    expect((await listDeliveries(deps, A, live.id, 10)).length).toBe(0);
    expect((await listWebhooks(deps, sandbox)).map((e) => e.id)).toEqual([test.id]);
    await expect(getWebhook(deps, sandbox, live.id)).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('offers exactly the event types the order lifecycle emits', () => {
    expect([...WEBHOOK_EVENT_TYPES].sort()).toEqual([...ORDER_EVENT_TYPES].sort());
  });
});
