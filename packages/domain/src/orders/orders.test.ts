import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors.ts';
import { canTransition } from '../order-states.ts';
import { demoPriceBook } from '../pricing.ts';
import { failure } from '../testing/failure.ts';
import { FixedSigningKeys, MemoryBlobStore, MemoryOrderStore, MemoryTenantStore } from '../testing/fakes.ts';
import { completeUpload } from './complete-upload.ts';
import { createOrder } from './create-order.ts';
import type { OrderDeps } from './deps.ts';
import { getOrder } from './get-order.ts';
import { plannedParts, planParts } from './upload-plan.ts';

const A = { tenantId: 'ten_a', sandbox: false };
const B = { tenantId: 'ten_b', sandbox: false };

const NOW = new Date('2026-11-23T12:00:00Z');
const MiB = 1024 * 1024;

function deps() {
  const d = {
    orders: new MemoryOrderStore(),
    tenants: new MemoryTenantStore(),
    blobs: new MemoryBlobStore(),
    clock: () => NOW,
    presignTtlSeconds: 900,
    priceBook: demoPriceBook,
    keys: new FixedSigningKeys(),
  };
  return d satisfies OrderDeps;
}

const request = (size = 20 * MiB) => ({
  dueDate: '2027-01-15',
  items: [{ alloy: 'au750y' as const, quantity: 1 }],
  file: { name: 'ring.stl', size },
});

describe('the order lifecycle', () => {
  it('allows cancelling before production only', () => {
    expect(canTransition('quoted', 'cancelled')).toBe(true);
    expect(canTransition('in_production', 'cancelled')).toBe(false);
    expect(canTransition('delivered', 'queued')).toBe(false);
  });
});

describe('createOrder', () => {
  it('plans parts for the declared size and emits order.created', async () => {
    const d = deps();
    const { order, upload } = await createOrder(d, A, request(20 * MiB), 'corr-1');
    expect(order.status).toBe('awaiting_upload');
    expect(upload.parts.map((p) => p.partNumber)).toEqual([1, 2, 3]);
    expect(upload.partSize).toBe(8 * MiB);
    expect(order.file.key.startsWith(`tenants/ten_a/orders/${order.id}/`)).toBe(true);
    expect(d.orders.outbox.map((e) => e.type)).toEqual(['order.created']);
    expect(upload.parts[2]?.url).toContain(`length=${4 * MiB}`);
  });

  it('names every invalid field', async () => {
    const bad = { ...request(), dueDate: '2020-01-01', items: [{ alloy: 'gold' as 'au750y', quantity: 1 }] };
    const error = await createOrder(deps(), A, bad, 'c').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).fields.map((f) => f.path)).toEqual(['items.0.alloy', 'dueDate']);
  });
});

describe('order items', () => {
  it('keeps the finish (high polish by default) and a plausible ring size, and names an implausible one', async () => {
    const d = deps();
    const ring = { alloy: 'au750y' as const, quantity: 1, ringSize: { system: 'EU' as const, size: 54 } };
    const { order } = await createOrder(d, A, { ...request(), items: [ring] }, 'c');
    expect(order.items[0]).toEqual({ ...ring, finish: 'high_polish' });
    const bad = {
      ...request(),
      items: [{ alloy: 'au750y' as const, quantity: 1, ringSize: { system: 'US' as const, size: 7.3 } }],
    };
    const error = await failure(createOrder(d, A, bad, 'c'));
    expect(error.fields.map((f) => f.path)).toEqual(['items.0.ringSize.size']);
  });
});

describe('completeUpload', () => {
  it('queues the calculation once every part is in, and only once', async () => {
    const d = deps();
    const { order } = await createOrder(d, A, request(6 * MiB), 'c');
    d.blobs.storePart(order.file.key, 1, 6 * MiB, '"a"');
    const parts = [{ partNumber: 1, etag: '"a"' }];
    const queued = await completeUpload(d, A, order.id, order.file.id, { parts });
    expect(queued.status).toBe('queued');
    // The queued event, stored with the order, is the calculation job.
    expect(d.orders.outbox.map((e) => [e.type, e.correlationId])).toEqual([
      ['order.created', 'c'],
      ['order.queued', 'c'],
    ]);
    const again = await completeUpload(d, A, order.id, order.file.id, { parts }).catch((e: DomainError) => e.kind);
    expect(again).toBe('conflict');
    expect(d.orders.outbox.filter((e) => e.type === 'order.queued')).toHaveLength(1);
  });

  it('refuses, naming the part, an upload whose stored parts differ from the plan', async () => {
    // Prepare: 20 MiB declared → parts of 8, 8 and 4 MiB
    const d = deps();
    const { order } = await createOrder(d, A, request(20 * MiB), 'c');
    const [one, two, three] = plannedParts(20 * MiB);
    const parts = [1, 2, 3].map((n) => ({ partNumber: n, etag: `"etag-${n}"` }));
    const attempt = () => failure(completeUpload(d, A, order.id, order.file.id, { parts }));
    // Act + Assess: nothing stored yet
    expect((await attempt()).fields).toEqual([
      { path: 'parts.0', message: 'part 1 has not been uploaded' },
      { path: 'parts.1', message: 'part 2 has not been uploaded' },
      { path: 'parts.2', message: 'part 3 has not been uploaded' },
    ]);
    // the last part bigger than declared (more bytes sent than the order says)
    d.blobs.storePart(order.file.key, 1, one?.size ?? 0);
    d.blobs.storePart(order.file.key, 2, two?.size ?? 0);
    d.blobs.storePart(order.file.key, 3, (three?.size ?? 0) + 5_084);
    const tooBig = await attempt();
    expect(tooBig.kind).toBe('validation');
    expect(tooBig.fields).toEqual([
      { path: 'parts.2', message: `part 3 is ${4 * MiB + 5_084} bytes; the plan says ${4 * MiB}` },
    ]);
    // a wrong ETag, and a part beyond the plan
    d.blobs.storePart(order.file.key, 3, three?.size ?? 0, '"other"');
    d.blobs.storePart(order.file.key, 4, 10);
    expect((await attempt()).fields).toEqual([
      { path: 'parts.2.etag', message: "part 3's ETag is not the one storage holds" },
      { path: 'parts', message: 'part 4 was uploaded, but the plan has 3' },
    ]);
    expect(d.blobs.completed).toEqual([]);
    expect((await d.orders.get('ten_a', order.id))?.status).toBe('awaiting_upload');
  });

  it('refuses a part list that does not cover the upload', async () => {
    const d = deps();
    const { order } = await createOrder(d, A, request(20 * MiB), 'c');
    const error = await failure(
      completeUpload(d, A, order.id, order.file.id, { parts: [{ partNumber: 1, etag: 'x' }] }),
    );
    expect(error.kind).toBe('validation');
    expect(d.blobs.completed).toEqual([]);
  });

  it("treats another tenant's order as unknown", async () => {
    const d = deps();
    const { order } = await createOrder(d, A, request(), 'c');
    const error = await failure(
      completeUpload(d, B, order.id, order.file.id, { parts: [{ partNumber: 1, etag: 'x' }] }),
    );
    expect(error.kind).toBe('not_found');
    expect(await getOrder(d, B, order.id).catch((e: DomainError) => e.kind)).toBe('not_found');
  });
});

describe('planParts', () => {
  it('keeps parts within S3 limits', () => {
    expect(planParts(1)).toEqual({ partSize: 8 * MiB, partCount: 1 });
    const huge = planParts(200 * 1024 * MiB);
    expect(huge.partCount).toBeLessThanOrEqual(10_000);
    expect(huge.partSize * huge.partCount).toBeGreaterThanOrEqual(200 * 1024 * MiB);
  });
});
