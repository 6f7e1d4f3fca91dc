import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { orderDeps } from '@facet/adapters';
import { sqsClient } from '@facet/adapters/aws-clients';
import { calculatorEnv, loadEnv } from '@facet/contracts';
import { eventFor, type Order } from '@facet/domain/order';
import { queues } from '@facet/wiring';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local/cloud/cloud.ts';
import { withLocalCloud } from '../../local/testing/local-cloud.ts';
import { waitFor } from '../../local/tools/clients-api.ts';
import { type DeadLetterQueue, findDeadLetterQueues, peek, redrive } from '../../packages/cli/src/dlq.ts';

/** Poison messages and jobs that fail every time end in the DLQ, and no order is left `calculating`. */
describe('calculator faults', () => {
  let cloud: LocalCloud;
  const workerLog: string[] = [];
  const suiteCloud = withLocalCloud({
    workers: 1,
    log: (line) => workerLog.push(line),
  });
  beforeAll(async () => {
    cloud = suiteCloud();
  });

  const dlqMessages = async () => {
    const { Messages = [] } = await sqsClient().send(
      new ReceiveMessageCommand({
        QueueUrl: cloud.resources.dlqUrls.calculationJobs,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        VisibilityTimeout: 0,
      }),
    );
    return Messages;
  };

  it('dead-letters a message it cannot parse after exactly maxReceiveCount receives', async () => {
    const { MessageId } = await sqsClient().send(
      new SendMessageCommand({ QueueUrl: cloud.resources.queueUrls.calculationJobs, MessageBody: 'not json at all' }),
    );
    await waitFor(
      'the poison message in the DLQ',
      async () => (await dlqMessages()).find((m) => m.Body === 'not json at all'),
      90_000,
      1000,
    );
    const attempts = workerLog.filter((line) => line.includes('job failed') && line.includes(String(MessageId)));
    expect(attempts).toHaveLength(queues.calculationJobs.maxReceiveCount);
  });

  it('marks an order failed, with a reason, when its job fails on every delivery', async () => {
    const env = loadEnv(calculatorEnv, { ...process.env, ...cloud.env });
    const deps = orderDeps(env);
    const now = new Date().toISOString();
    const order: Order = {
      tenantId: cloud.demo.tenantId,
      id: `ord_fault_${Date.now()}`,
      status: 'queued',
      version: 1,
      dueDate: '2030-01-01',
      items: [{ alloy: 'ag925', quantity: 1 }],
      // No object at this key: reading the model fails the same way every time.
      file: {
        id: 'file_x',
        name: 'gone.stl',
        size: 100,
        key: `tenants/${cloud.demo.tenantId}/orders/missing/model`,
        uploadId: 'u',
        partSize: 1,
      },
      history: [{ status: 'queued', at: now }],
      correlationId: 'fault-test',
      createdAt: now,
      updatedAt: now,
    };
    // Stored with its order.queued event: the outbox publisher turns it into the job.
    await deps.orders.create(order, eventFor(order, now));
    const failed = await waitFor(
      'the order to fail',
      async () => {
        const o = await deps.orders.get(order.tenantId, order.id);
        return o?.status === 'failed' ? o : undefined;
      },
      90_000,
      1000,
    );
    expect(failed.failureReason).toMatch(/could not calculate/);
    await waitFor(
      'the job in the DLQ',
      async () => (await dlqMessages()).find((m) => m.Body?.includes(order.id)),
      60_000,
      1000,
    );
  });
  it('lets an operator find, read and redrive dead letters (npm run dlq)', async () => {
    const sqs = sqsClient();
    const dlqs = await findDeadLetterQueues(sqs);
    const jobsDlq = dlqs.find((d) => d.name === 'calculationJobs');
    expect(jobsDlq?.sourceUrl).toBe(cloud.resources.queueUrls.calculationJobs);
    const peeked = await peek(sqs, String(jobsDlq?.url), 10);
    expect(peeked.map((m) => m.Body)).toContain('not json at all');
    // Redriven, the poison message goes back to the source queue and, still unreadable, dead-letters again.
    await cloud.workers.stop();
    expect(await redrive(sqs, jobsDlq as DeadLetterQueue, 10)).toBeGreaterThanOrEqual(1);
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: cloud.resources.queueUrls.calculationJobs,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
      }),
    );
    expect(Messages.map((m) => m.Body)).toContain('not json at all');
  });
});
