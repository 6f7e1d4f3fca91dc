import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { orderDeps } from '@facet/adapters';
import { snsClient, sqsClient } from '@facet/adapters/aws-clients';
import { calculatorEnv, createOrderResponse, loadEnv, type OrderEvent } from '@facet/contracts';
import type { Order } from '@facet/domain/order';
import { beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, ROOT } from '../../local/cloud/cloud.ts';
import { readOutbox } from '../../local/cloud/outbox.ts';
import { CALCULATOR_PRIORITY, procStat } from '../../local/cloud/workers.ts';
import { withLocalCloud } from '../../local/testing/local-cloud.ts';
import { ClientsApi, waitFor } from '../../local/tools/clients-api.ts';
import { torusStl } from '../../local/tools/sample-models.ts';

/**
 * Issue 4's fault tests against the local cloud: workers killed at random, jobs delivered several times, SIGTERM
 * mid-job. Each prints its figures. The assertions are on effects: transitions (the order's history), events
 * (distinct ids seen on an audit queue subscribed to the topic) and emails (the outbox).
 */
describe('calculation under faults', () => {
  let cloud: LocalCloud;
  let api: ClientsApi;
  let auditUrl: string;
  const audit: OrderEvent[] = [];

  const suiteCloud = withLocalCloud({
    workers: 2,
    log: () => undefined,
  });
  beforeAll(async () => {
    cloud = suiteCloud();
    api = new ClientsApi(cloud.apiUrl, cloud.demo.apiKey);
    // Every event on the topic, raw, into a queue only this test reads.
    const { QueueUrl } = await sqsClient().send(new CreateQueueCommand({ QueueName: 'facet-test-audit' }));
    auditUrl = String(QueueUrl);
    const { Attributes } = await sqsClient().send(
      new GetQueueAttributesCommand({ QueueUrl: auditUrl, AttributeNames: ['QueueArn'] }),
    );
    await snsClient().send(
      new SubscribeCommand({
        TopicArn: cloud.resources.topicArns.orderEvents,
        Protocol: 'sqs',
        Endpoint: Attributes?.QueueArn,
        Attributes: { RawMessageDelivery: 'true' },
      }),
    );
  });

  async function drainAudit(): Promise<void> {
    for (;;) {
      const { Messages = [] } = await sqsClient().send(
        new ReceiveMessageCommand({ QueueUrl: auditUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
      );
      if (Messages.length === 0) return;
      for (const m of Messages) audit.push(JSON.parse(m.Body ?? '{}'));
      // No delete needed: each message is read once within its visibility timeout and the test ends before it lapses.
    }
  }

  const model = torusStl(9, 1.2, 48, 24);

  async function placeOrders(count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const created = await api.request('POST', '/v1/orders', {
        reference: `CHAOS-${i}`,
        dueDate: '2030-01-01',
        items: [{ alloy: 'ag925', quantity: 1 }],
        file: { name: 'ring.stl', size: model.length },
      });
      const { order, upload } = createOrderResponse.parse(created.body);
      const parts = await ClientsApi.uploadParts(model, upload);
      const done = await api.request('POST', upload.completeUrl, { parts });
      expect(done.status).toBe(202);
      ids.push(order.id);
    }
    return ids;
  }

  async function ordersOf(ids: string[]): Promise<Order[]> {
    const deps = orderDeps(loadEnv(calculatorEnv, { ...process.env, ...cloud.env }));
    return Promise.all(ids.map(async (id) => (await deps.orders.get(cloud.demo.tenantId, id)) as Order));
  }

  async function assertExactlyOnce(ids: string[]) {
    const orders = await waitFor(
      'every order to be quoted',
      async () => {
        const all = await ordersOf(ids);
        return all.every((o) => o.status === 'quoted') ? all : undefined;
      },
      420_000,
      1000,
    );
    await drainAudit();
    const mails = await readOutbox(cloud.outboxDir);
    const figures = {
      orders: ids.length,
      lost: 0,
      duplicateTransitions: 0,
      duplicateEventIds: 0,
      eventRepublishes: 0,
      duplicateEmails: 0,
    };
    for (const o of orders) {
      const quotedInHistory = o.history.filter((h) => h.status === 'quoted').length;
      figures.duplicateTransitions +=
        quotedInHistory - 1 + Math.max(0, o.history.filter((h) => h.status === 'calculating').length - 1);
      const calculated = audit.filter((e) => e.orderId === o.id && e.type === 'order.calculated');
      const distinct = new Set(calculated.map((e) => e.id));
      if (distinct.size === 0) figures.lost++;
      figures.duplicateEventIds += distinct.size - 1;
      figures.eventRepublishes += calculated.length - distinct.size;
      figures.duplicateEmails += Math.max(0, mails.filter((m) => m.subject.includes(o.id)).length - 1);
      expect(mails.filter((m) => m.subject.includes(o.id))).toHaveLength(1);
    }
    return figures;
  }

  it.runIf(CALCULATOR_PRIORITY === 'SCHED_IDLE')(
    'runs the calculators under SCHED_IDLE, as if on cores of their own (any API thread that wakes preempts them)',
    () => {
      // Prepare: the calculator processes the local ECS service started.
      const pids = cloud.workers.pids().filter((p) => p > 0);

      // Act: each one's scheduling policy, from /proc (field 41 of stat; 5 is SCHED_IDLE).
      const policies = pids.map((pid) => Number(procStat(pid)[38]));

      // Assess
      expect(policies).toEqual([5, 5]);
    },
  );

  it('quotes every order exactly once while jobs are delivered 2–5 times, some concurrently', async () => {
    const ids = await placeOrders(20);
    // Extra copies of each job: 1–4 more, sent at once so two workers may hold copies of the same job together.
    let copies = 0;
    for (const [i, id] of ids.entries()) {
      const extra = 1 + (i % 4);
      for (let c = 0; c < extra; c++) {
        copies++;
        await sqsClient().send(
          new SendMessageCommand({
            QueueUrl: cloud.resources.queueUrls.calculationJobs,
            MessageBody: JSON.stringify({
              type: 'order.queued',
              tenantId: cloud.demo.tenantId,
              orderId: id,
              correlationId: `dup-${c}`,
            }),
          }),
        );
      }
    }
    const figures = await assertExactlyOnce(ids);
    console.log('[faults] duplicate deliveries:', JSON.stringify({ ...figures, extraCopies: copies }));
    expect(figures).toMatchObject({ lost: 0, duplicateTransitions: 0, duplicateEventIds: 0, duplicateEmails: 0 });
  });

  it('loses and duplicates nothing while workers are SIGKILLed 20 times at random moments', async () => {
    const ids = await placeOrders(50);
    let kills = 0;
    while (kills < 20) {
      await new Promise((r) => setTimeout(r, 300 + Math.random() * 1200));
      const pids = cloud.workers.pids().filter((p) => p > 0);
      const victim = pids[Math.floor(Math.random() * pids.length)];
      if (!victim) continue;
      try {
        process.kill(victim, 'SIGKILL');
        kills++;
      } catch {
        // it had just exited; pick again
      }
    }
    const figures = await assertExactlyOnce(ids);
    console.log('[faults] SIGKILL chaos:', JSON.stringify({ ...figures, kills }));
    expect(figures).toMatchObject({ lost: 0, duplicateTransitions: 0, duplicateEventIds: 0, duplicateEmails: 0 });
  }, 600_000); // a killed worker's message comes back after the queue's visibility timeout (120 s)

  it('on SIGTERM mid-job releases the message at once, exits in time and commits nothing partial', async () => {
    await cloud.workers.stop(); // only the worker under test consumes now
    const big = torusStl(20, 4, 1200, 400); // ~1M triangles: seconds of work
    const created = await api.request('POST', '/v1/orders', {
      dueDate: '2030-01-01',
      items: [{ alloy: 'au585y', quantity: 1 }],
      file: { name: 'big.stl', size: big.length },
    });
    const { order, upload } = createOrderResponse.parse(created.body);
    await api.request('POST', upload.completeUrl, { parts: await ClientsApi.uploadParts(big, upload) });

    const worker: ChildProcess = spawn(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'containers/calculator/src/main.ts')],
      {
        cwd: ROOT,
        env: { ...process.env, ...cloud.env, STOP_GRACE_SECONDS: '1' },
        stdio: 'ignore',
      },
    );
    const exited = new Promise<number>((resolve) => worker.once('exit', () => resolve(Date.now())));
    const [current] = await ordersOf([order.id]);
    expect(current).toBeDefined();
    await waitFor(
      'the job to start',
      async () => ((await ordersOf([order.id]))[0]?.status === 'calculating' ? true : undefined),
      60_000,
      100,
    );
    const signalled = Date.now();
    worker.kill('SIGTERM');
    const exitAt = await exited;
    const released = await waitFor(
      'the released job',
      async () => {
        const { Messages = [] } = await sqsClient().send(
          new ReceiveMessageCommand({
            QueueUrl: cloud.resources.queueUrls.calculationJobs,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: 0,
          }),
        );
        return Messages.find((m) => JSON.parse(m.Body ?? '{}').orderId === order.id);
      },
      5000,
      50,
    );
    const visibleAfter = Date.now() - exitAt;
    const [after] = await ordersOf([order.id]);
    console.log(
      '[faults] SIGTERM:',
      JSON.stringify({ exitMs: exitAt - signalled, messageVisibleWithinMs: visibleAfter, status: after?.status }),
    );
    expect(exitAt - signalled).toBeLessThan(110_000);
    expect(released).toBeDefined();
    expect(visibleAfter).toBeLessThan(1000);
    expect(after?.status).toBe('calculating');
    expect(after?.result).toBeUndefined();
    expect(after?.lease?.expiresAt).toBe(0);
  });
});
