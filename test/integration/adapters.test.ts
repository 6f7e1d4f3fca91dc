import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { dynamoClient, s3Client, snsClient, sqsClient } from '@facet/adapters/aws-clients';
import { DynamoBoardStore } from '@facet/adapters/dynamo-board-store';
import { DynamoIdempotencyStore } from '@facet/adapters/dynamo-idempotency-store';
import { DynamoOrderStore } from '@facet/adapters/dynamo-order-store';
import { DynamoDedupeStore } from '@facet/adapters/dynamo-tenant-store';
import { SnsEventBus } from '@facet/adapters/messaging';
import { S3BlobStore } from '@facet/adapters/s3-blob-store';
import { projectCard } from '@facet/domain/board/card';
import { CHANGE_COMMIT_MS } from '@facet/domain/board/ports';
import { DomainError, ObjectTooLarge } from '@facet/domain/errors';
import { eventFor, type Order } from '@facet/domain/order';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobLoop } from '../../containers/calculator/src/job-loop.ts';
import type { LocalResources } from '../../local/cloud/resources.ts';
import { startEmulators } from './emulators.ts';

let emulators: Awaited<ReturnType<typeof startEmulators>>;
let res: LocalResources;
beforeAll(async () => {
  emulators = await startEmulators();
  res = emulators.resources;
});
afterAll(async () => {
  await emulators?.stop();
});

const order = (id: string): Order => ({
  tenantId: 'ten_a',
  id,
  status: 'queued',
  version: 1,
  dueDate: '2030-01-01',
  items: [{ alloy: 'ag925', quantity: 1 }],
  file: {
    id: 'f',
    name: 'a.stl',
    size: 1,
    key: `tenants/ten_a/orders/${id}/files/f/model`,
    uploadId: 'u',
    partSize: 1,
  },
  history: [],
  correlationId: 'c',
  createdAt: '2026-11-23T00:00:00.000Z',
  updatedAt: '2026-11-23T00:00:00.000Z',
});

describe('DynamoOrderStore on DynamoDB Local', () => {
  it('writes conditionally on the version, so one of two writers loses', async () => {
    const store = new DynamoOrderStore(dynamoClient(), res.tableName);
    const created = order('ord_1');
    await store.create(created, eventFor(created, created.createdAt));
    await expect(store.create(created, eventFor(created, created.createdAt))).rejects.toBeInstanceOf(DomainError);
    const first = { ...order('ord_1'), version: 2, status: 'calculating' as const };
    await store.save(first, 1, eventFor(first, first.updatedAt));
    const loser = { ...order('ord_1'), version: 2, status: 'cancelled' as const };
    await expect(store.save(loser, 1, eventFor(loser, loser.updatedAt))).rejects.toMatchObject({ kind: 'conflict' });
    expect((await store.get('ten_a', 'ord_1'))?.status).toBe('calculating');
    expect(await store.get('ten_b', 'ord_1')).toBeUndefined();
    // The outbox: one event per winning write, none for the loser.
    expect((await store.events('ten_a', 'ord_1')).map((e) => [e.id, e.type])).toEqual([
      ['ord_1.v1', 'order.queued'],
      ['ord_1.v2', 'order.calculating'],
    ]);
    expect(await store.events('ten_b', 'ord_1')).toEqual([]);
  });

  it('keeps a write without an event (progress) apart from the outbox', async () => {
    const store = new DynamoOrderStore(dynamoClient(), res.tableName);
    const created = order('ord_5');
    await store.create(created, eventFor(created, created.createdAt));
    await store.save({ ...created, version: 2, progress: { stage: 'parse', percent: 10 } }, 1);
    expect((await store.get('ten_a', 'ord_5'))?.progress).toEqual({ stage: 'parse', percent: 10 });
    expect(await store.events('ten_a', 'ord_5')).toHaveLength(1);
  });

  it('records a once-only effect only when it is done: claim, release on failure, complete', async () => {
    const dedupe = new DynamoDedupeStore(dynamoClient(), res.tableName);
    expect(await dedupe.claim('email', 'evt-1', 60)).toBe('claimed');
    expect(await dedupe.claim('email', 'evt-1', 60)).toBe('busy');
    await dedupe.release('email', 'evt-1');
    expect(await dedupe.claim('email', 'evt-1', 60)).toBe('claimed');
    await dedupe.complete('email', 'evt-1', 600);
    expect(await dedupe.claim('email', 'evt-1', 60)).toBe('done');
    await dedupe.release('email', 'evt-1');
    expect(await dedupe.claim('email', 'evt-1', 60)).toBe('done');
    // A holder that died mid-send: its lease lapses and the effect can be retried.
    expect(await dedupe.claim('email', 'evt-2', -1)).toBe('claimed');
    expect(await dedupe.claim('email', 'evt-2', 60)).toBe('claimed');
  });
});

describe('DynamoBoardStore on DynamoDB Local', () => {
  it('stamps a slow write again, so a reader looking CHANGE_COMMIT_MS back still finds it', async () => {
    // Prepare: a clock that moves 5 s while the card is being written (a slow write, SDK retries).
    const began = 1_800_000_000_000;
    const ended = began + 5_000;
    let calls = 0;
    const store = new DynamoBoardStore(dynamoClient(), res.tableName, () => (calls++ === 0 ? began : ended));
    const queued = order('ord_slow');
    const projected = projectCard(queued, 'Atelier Lune', eventFor(queued, queued.createdAt));

    // Act
    const written = await store.put(projected);

    // Assess: the change is dated after the write, not when it began.
    expect(written).toBe(true);
    const changes = await store.changedSince(ended - CHANGE_COMMIT_MS);
    expect(changes.map((c) => c.orderId)).toContain('ord_slow');
    expect((await store.changedSince(ended + 1)).map((c) => c.orderId)).not.toContain('ord_slow');
  });
});

describe('DynamoIdempotencyStore on DynamoDB Local', () => {
  it('lets the first request run, replays its answer, and refuses another body or a concurrent retry', async () => {
    const store = new DynamoIdempotencyStore(dynamoClient(), res.tableName);
    expect(await store.begin('ten_a', 'k1', 'fp-1')).toEqual({ state: 'new' });
    expect(await store.begin('ten_a', 'k1', 'fp-1')).toEqual({ state: 'in_progress' });
    expect(await store.begin('ten_a', 'k1', 'fp-2')).toEqual({ state: 'mismatch' });
    const response = { statusCode: 201, headers: { 'content-type': 'application/json' }, body: '{"id":1}' };
    await store.complete('ten_a', 'k1', response);
    expect(await store.begin('ten_a', 'k1', 'fp-1')).toEqual({ state: 'replay', response });
    expect(await store.begin('ten_b', 'k1', 'fp-2')).toEqual({ state: 'new' });
    await store.abandon('ten_b', 'k1');
    expect(await store.begin('ten_b', 'k1', 'fp-3')).toEqual({ state: 'new' });
  });
});

describe('S3BlobStore on s3rver', () => {
  it('assembles a presigned multipart upload and serves a presigned download', async () => {
    const blobs = new S3BlobStore(s3Client(true), res.bucketName);
    const key = 'tenants/ten_a/orders/ord_2/files/f/model';
    const uploadId = await blobs.startMultipartUpload(key, 'application/octet-stream');
    const body = Buffer.from('solid ring\nendsolid ring\n');
    const [part] = await blobs.presignUploadParts(key, uploadId, [{ partNumber: 1, size: body.length }], 300);
    const put = await fetch(part?.url ?? '', { method: 'PUT', body });
    expect(put.status).toBe(200);
    await blobs.completeMultipartUpload(key, uploadId, [{ partNumber: 1, etag: put.headers.get('etag') ?? '' }]);
    expect(new TextDecoder().decode(await blobs.get(key, 1000))).toContain('solid ring');
    await expect(blobs.get(key, 5)).rejects.toBeInstanceOf(ObjectTooLarge);
    const link = await fetch(await blobs.presignGet(key, 60));
    expect(await link.text()).toContain('endsolid');
  });
});

describe('SNS fan-out on fauxqs', () => {
  it('delivers only the subscribed event types to the email queue', async () => {
    const bus = new SnsEventBus(snsClient(), res.topicArns.orderEvents);
    const o = order('ord_4');
    await bus.publish(eventFor({ ...o, status: 'awaiting_upload' }, o.createdAt));
    await bus.publish(eventFor({ ...o, status: 'quoted', version: 5 }, o.createdAt));
    const { Messages = [] } = await sqsClient().send(
      new ReceiveMessageCommand({
        QueueUrl: res.queueUrls.emailNotifications,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
      }),
    );
    const types = Messages.map((m) => JSON.parse(m.Body ?? '{}').type);
    expect(types).toEqual(['order.calculated']);
  });
});

describe('JobLoop on fauxqs', () => {
  it('keeps a long job invisible by heartbeat, deletes it after success', async () => {
    const sqs = sqsClient();
    const queueUrl = res.queueUrls.calculationJobs;
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: '{"n":1}' }));
    let deliveries = 0;
    const loop = new JobLoop(
      sqs,
      { queueUrl, visibilitySeconds: 2, heartbeatSeconds: 1, waitSeconds: 1, log: () => undefined },
      async () => {
        deliveries++;
        await new Promise((r) => setTimeout(r, 4500)); // longer than the visibility timeout
        return { kind: 'done' };
      },
    );
    const running = loop.run();
    await new Promise((r) => setTimeout(r, 6000));
    await loop.stop(1000);
    await running;
    console.log(
      '[faults] heartbeat:',
      JSON.stringify({ visibilitySeconds: 2, jobSeconds: 4.5, deliveries, redeliveries: deliveries - 1 }),
    );
    expect(deliveries).toBe(1);
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] }),
    );
    expect(
      Number(Attributes?.ApproximateNumberOfMessages) + Number(Attributes?.ApproximateNumberOfMessagesNotVisible),
    ).toBe(0);
  });

  it('releases an unfinished job on stop so it is visible again at once', async () => {
    const sqs = sqsClient();
    const queueUrl = res.queueUrls.calculationJobs;
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: '{"n":2}' }));
    let started!: () => void;
    const begun = new Promise<void>((r) => {
      started = r;
    });
    const loop = new JobLoop(
      sqs,
      { queueUrl, visibilitySeconds: 60, heartbeatSeconds: 20, waitSeconds: 1, log: () => undefined },
      async () => {
        started();
        await new Promise((r) => setTimeout(r, 30_000));
        return { kind: 'done' };
      },
    );
    void loop.run();
    await begun;
    const t0 = Date.now();
    expect(await loop.stop(200)).toBe('released');
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1 }));
    expect(Messages.map((m) => m.Body)).toEqual(['{"n":2}']);
    expect(Date.now() - t0).toBeLessThan(1500);
  });
});
