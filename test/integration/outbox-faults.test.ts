import { DynamoOrderStore } from '@facet/adapters/dynamo-order-store';
import { createOrderResponse, type OrderEvent } from '@facet/contracts';
import type { Order } from '@facet/domain/order';
import { afterAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local/cloud/cloud.ts';
import { readOutbox } from '../../local/cloud/outbox.ts';
import { freePort } from '../../local/cloud/ports.ts';
import { auditEvents } from '../../local/testing/event-audit.ts';
import { startFaultProxy } from '../../local/testing/fault-proxy.ts';
import { withLocalCloud } from '../../local/testing/local-cloud.ts';
import { ClientsApi, waitFor } from '../../local/tools/clients-api.ts';
import { torusStl } from '../../local/tools/sample-models.ts';

/**
 * Issue 10's proof of the outbox: every SNS publish and SQS call of the handlers and workers goes through a proxy
 * that fails them at random and in bursts while orders are placed and calculated, then heals. An order write and
 * its event can no longer part, so every order must end quoted with each of its events delivered.
 */
describe('the outbox under publish and queue faults', () => {
  let proxy: Awaited<ReturnType<typeof startFaultProxy>>;
  const suiteCloud = withLocalCloud(async () => {
    const sqsPort = await freePort();
    proxy = await startFaultProxy(`http://127.0.0.1:${sqsPort}`, {
      operations: ['Publish', 'SendMessage', 'ReceiveMessage', 'DeleteMessage', 'ChangeMessageVisibility'],
      failRate: 0.3,
      burstUntil: 0,
    });
    // Handlers and workers reach SNS and SQS through the proxy; the emulators and the pollers (AWS's side) do not.
    return {
      workers: 2,
      ports: { sqs: sqsPort },
      env: { AWS_ENDPOINT_URL_SQS: proxy.url, AWS_ENDPOINT_URL_SNS: proxy.url },
    };
  });

  afterAll(async () => {
    await proxy?.stop();
  });

  it('ends every order in its final state: 0 stuck, 0 lost events, 0 duplicate transitions', async () => {
    // Prepare
    const cloud: LocalCloud = suiteCloud();
    const audit = await auditEvents(cloud);
    const api = new ClientsApi(cloud.apiUrl, cloud.demo.apiKey);
    const model = torusStl(9, 1.2, 48, 24);
    const started = Date.now();
    const bursts = setInterval(() => proxy.burst(2000), 5000);

    // Act: 20 orders placed and uploaded while SNS and SQS fail (30 % at random, 2 s of everything every 5 s)
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const created = await api.request('POST', '/v1/orders', {
        reference: `FAULT-${i}`,
        dueDate: '2030-01-01',
        items: [{ alloy: 'ag925', quantity: 1 }],
        file: { name: 'ring.stl', size: model.length },
      });
      expect(created.status).toBe(201);
      const { order, upload } = createOrderResponse.parse(created.body);
      const done = await api.request('POST', upload.completeUrl, {
        parts: await ClientsApi.uploadParts(model, upload),
      });
      expect(done.status).toBe(202);
      ids.push(order.id);
    }
    await new Promise((r) => setTimeout(r, Math.max(0, 20_000 - (Date.now() - started))));
    clearInterval(bursts);
    proxy.heal();
    const store = new DynamoOrderStore(cloud.clients.documents, cloud.resources.tableName);
    const orders = await waitFor(
      'every order to be quoted',
      async () => {
        const all = await Promise.all(ids.map((id) => store.get(cloud.demo.tenantId, id)));
        return all.every((o) => o?.status === 'quoted') ? (all as Order[]) : undefined;
      },
      300_000,
      1000,
    );

    // Assess
    await waitFor('the last events to arrive', async () => {
      await audit.drain();
      const calculated = new Set(audit.seen.filter((e) => e.type === 'order.calculated').map((e) => e.orderId));
      return calculated.size === ids.length ? true : undefined;
    });
    const stored: OrderEvent[] = (await Promise.all(ids.map((id) => store.events(cloud.demo.tenantId, id)))).flat();
    const transitions = stored.filter((e) => e.type !== 'order.progress');
    const delivered = new Map<string, OrderEvent[]>();
    for (const e of audit.seen) delivered.set(e.id, [...(delivered.get(e.id) ?? []), e]);
    const mails = await readOutbox(cloud.outboxDir);
    const figures = {
      orders: ids.length,
      stuck: orders.filter((o) => o.status !== 'quoted').length,
      storedEvents: stored.length,
      progressEvents: stored.length - transitions.length,
      lostEvents: stored.filter((e) => !delivered.has(e.id)).length,
      duplicateTransitions: orders.reduce(
        (n, o) => n + o.history.length - new Set(o.history.map((h) => h.status)).size,
        0,
      ),
      redeliveredEvents: [...delivered.values()].filter((copies) => copies.length > 1).length,
      duplicatesThatDiffer: [...delivered.values()].filter((c) => new Set(c.map((e) => JSON.stringify(e))).size > 1)
        .length,
      emails: mails.filter((m) => ids.some((id) => m.subject.includes(id))).length,
      faultsInjected: proxy.counts.failed,
      faultsByOperation: proxy.counts.byOperation,
      seconds: Math.round((Date.now() - started) / 1000),
    };
    console.log('[outbox] faults:', JSON.stringify(figures));
    expect(figures).toMatchObject({ stuck: 0, lostEvents: 0, duplicateTransitions: 0, duplicatesThatDiffer: 0 });
    expect(transitions).toHaveLength(ids.length * 4); // created, queued, calculating, calculated
    expect(figures.emails).toBe(ids.length);
    expect(figures.faultsInjected).toBeGreaterThan(20);
  }, 420_000);
});
