import { describe, expect, it } from 'vitest';
import { ObjectTooLarge } from '../errors.ts';
import type { Order } from '../order.ts';
import { MemoryBlobStore, MemoryOrderStore } from '../testing/fakes.ts';
import {
  type CalculationDeps,
  type CalculationOutcome,
  type JobContext,
  processCalculationJob,
} from './calculate-order.ts';

const T0 = Date.parse('2026-11-23T12:00:00Z');

function queuedOrder(overrides: Partial<Order> = {}): Order {
  return {
    tenantId: 'ten_a',
    id: 'ord_1',
    status: 'queued',
    version: 2,
    dueDate: '2027-01-01',
    items: [{ alloy: 'ag925', quantity: 1 }],
    file: {
      id: 'file_1',
      name: 'ring.stl',
      size: 10,
      key: 'tenants/ten_a/orders/ord_1/files/file_1/model',
      uploadId: 'u',
      partSize: 8,
    },
    history: [],
    correlationId: 'corr',
    createdAt: '2026-11-23T11:00:00Z',
    updatedAt: '2026-11-23T11:00:00Z',
    ...overrides,
  };
}

const quoted: CalculationOutcome = {
  verdict: 'quoted',
  reasons: [],
  metrics: { volumeMm3: 100, areaMm2: 200, boundingBoxMm: [1, 2, 3], triangles: 12, weightGrams: 1.1 },
  quote: {
    currency: 'EUR',
    total: 42,
    validUntil: '2026-11-24T12:00:00Z',
    lines: [{ code: 'metal', label: 'Metal', amount: 42 }],
  },
  reportJson: '{"schemaVersion":1}',
};

async function setup(order: Order, calculate: CalculationDeps['calculate'] = async () => quoted) {
  const orders = new MemoryOrderStore();
  orders.seed(order);
  const blobs = new MemoryBlobStore();
  blobs.objects.set(order.file.key, new Uint8Array(10));
  let now = T0;
  const deps: CalculationDeps = { orders, blobs, clock: () => new Date(now), calculate, maxModelBytes: 1000 };
  // What the outbox publisher would publish: the events stored with the order's writes.
  const events = {
    get events() {
      return orders.outbox;
    },
  };
  return { deps, orders, blobs, events, advance: (ms: number) => (now += ms) };
}

const ctx = (workerId = 'w1', receiveCount = 1): JobContext => ({
  workerId,
  leaseMs: 60_000,
  receiveCount,
  maxReceiveCount: 3,
  progressIntervalMs: 0,
});
const job = { tenantId: 'ten_a', orderId: 'ord_1', correlationId: 'corr' };

describe('processCalculationJob', () => {
  it('claims, commits the result and emits one event per transition', async () => {
    const { deps, orders, blobs, events } = await setup(queuedOrder());
    expect(await processCalculationJob(deps, job, ctx())).toBe('done');
    const order = await orders.get('ten_a', 'ord_1');
    expect(order?.status).toBe('quoted');
    expect(order?.lease).toBeUndefined();
    expect(blobs.objects.get('tenants/ten_a/orders/ord_1/report.json')).toBe('{"schemaVersion":1}');
    expect(events.events.map((e) => e.type)).toEqual(['order.calculating', 'order.calculated']);
  });

  it('leaves an order alone while another worker holds a live lease', async () => {
    const { deps, events } = await setup(
      queuedOrder({ status: 'calculating', lease: { owner: 'w2', expiresAt: T0 + 30_000 } }),
    );
    expect(await processCalculationJob(deps, job, ctx('w1'))).toBe('busy');
    expect(events.events).toEqual([]);
  });

  it('takes over a lapsed lease without a second calculating event', async () => {
    const { deps, orders, events } = await setup(
      queuedOrder({ status: 'calculating', lease: { owner: 'dead', expiresAt: T0 - 1 } }),
    );
    expect(await processCalculationJob(deps, job, ctx('w1'))).toBe('done');
    expect((await orders.get('ten_a', 'ord_1'))?.status).toBe('quoted');
    expect(events.events.map((e) => e.type)).toEqual(['order.calculated']);
  });

  it('does nothing visible for a redelivery of finished work', async () => {
    const { deps, orders, events } = await setup(queuedOrder());
    await processCalculationJob(deps, job, ctx());
    const writes = orders.writes;
    expect(await processCalculationJob(deps, job, ctx('w2', 2))).toBe('done');
    expect(orders.writes).toBe(writes);
    expect(events.events.filter((e) => e.type === 'order.calculated')).toHaveLength(1);
  });

  it('stores each transition with its own event, ids from the versions', async () => {
    const { deps, events } = await setup(queuedOrder());
    await processCalculationJob(deps, job, ctx());
    expect(events.events.map((e) => e.id)).toEqual(['ord_1.v3', 'ord_1.v4']);
  });

  it('rejects, with a readable reason and no retry, a stored model over the size limit', async () => {
    // Prepare: storage refuses to read it (the object is bigger than maxModelBytes)
    const { deps, orders, blobs } = await setup(queuedOrder());
    blobs.get = async () => {
      throw new ObjectTooLarge(300 * 1024 * 1024, 1000);
    };
    // Act
    const outcome = await processCalculationJob(deps, job, ctx('w1', 1));
    // Assess
    const order = await orders.get('ten_a', 'ord_1');
    expect(outcome).toBe('done');
    expect(order?.status).toBe('rejected');
    expect(order?.result?.rejectionReasons?.[0]).toMatch(/300\.0 MB/);
    expect(order?.failureReason).toBeUndefined();
  });

  it('rejects a stored model whose size differs from the declared one', async () => {
    const { deps, orders, blobs } = await setup(queuedOrder());
    blobs.objects.set(queuedOrder().file.key, new Uint8Array(11));
    expect(await processCalculationJob(deps, job, ctx())).toBe('done');
    const order = await orders.get('ten_a', 'ord_1');
    expect(order?.status).toBe('rejected');
    expect(order?.result?.rejectionReasons?.[0]).toMatch(/11 bytes, but the order declared 10/);
  });

  it('rethrows a failure so SQS retries, and marks the order failed on the last delivery', async () => {
    const boom = async (): Promise<CalculationOutcome> => {
      throw new Error('engine crashed');
    };
    const { deps, orders, events, advance } = await setup(queuedOrder(), boom);
    await expect(processCalculationJob(deps, job, ctx('w1', 1))).rejects.toThrow('engine crashed');
    expect((await orders.get('ten_a', 'ord_1'))?.status).toBe('calculating');
    advance(120_000);
    await expect(processCalculationJob(deps, job, ctx('w2', 3))).rejects.toThrow('engine crashed');
    const order = await orders.get('ten_a', 'ord_1');
    expect(order?.status).toBe('failed');
    expect(order?.failureReason).toMatch(/could not calculate/);
    expect(events.events.map((e) => e.type)).toEqual(['order.calculating', 'order.failed']);
  });

  it('writes progress while the engine reports it', async () => {
    const calc = async (_b: Uint8Array, _o: Order, onProgress: (s: string, p: number) => void) => {
      onProgress('parse', 10);
      onProgress('metrics', 50);
      return quoted;
    };
    const { deps, orders } = await setup(queuedOrder(), calc);
    await processCalculationJob(deps, job, ctx());
    expect(orders.writes).toBeGreaterThanOrEqual(4);
  });
});
