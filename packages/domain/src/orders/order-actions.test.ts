import { describe, expect, it } from 'vitest';
import type { Order } from '../order.ts';
import { demoPriceBook, type PriceBook, type QuoteInput, quote } from '../pricing.ts';
import { failure } from '../testing/failure.ts';
import { FixedSigningKeys, MemoryBlobStore, MemoryOrderStore } from '../testing/fakes.ts';
import { cancelOrder } from './cancel-order.ts';
import { confirmOrder } from './confirm-order.ts';
import { toView } from './get-order.ts';
import { listOrders } from './list-orders.ts';
import { toOrderQuote } from './order-quote.ts';
import { replaceModel } from './replace-model.ts';

const A = { tenantId: 'ten_a', sandbox: false };
const A_SANDBOX = { tenantId: 'ten_a', sandbox: true };
const B = { tenantId: 'ten_b', sandbox: false };
const T0 = new Date('2026-11-23T12:00:00Z');
const PRICING: QuoteInput = {
  alloy: 'au750y',
  quantity: 1,
  gramsPerPiece: 4,
  volumeMm3: 250,
  areaMm2: 600,
  layers: 400,
};

function makeOrder(over: Partial<Order> & { id: string }): Order {
  const at = over.createdAt ?? T0.toISOString();
  return {
    tenantId: 'ten_a',
    status: 'awaiting_upload',
    version: 1,
    dueDate: '2027-01-15',
    items: [{ alloy: 'au750y', quantity: 1 }],
    file: { id: 'file_1', name: 'ring.stl', size: 10, key: 'k', uploadId: 'u', partSize: 8 },
    history: [{ status: over.status ?? 'awaiting_upload', at }],
    correlationId: 'c',
    createdAt: at,
    updatedAt: at,
    ...over,
  };
}

/** A quoted order priced at T0 with `book` (its quote locks for the book's validity). */
function quotedOrder(id: string, book: PriceBook = demoPriceBook(T0), over: Partial<Order> = {}): Order {
  return makeOrder({
    id,
    status: 'quoted',
    result: { reportKey: 'r', quote: toOrderQuote(quote(PRICING, book, T0)), pricing: PRICING },
    ...over,
  });
}

function deps(now = T0, priceBook: (at: Date) => PriceBook = demoPriceBook) {
  return {
    orders: new MemoryOrderStore(),
    keys: new FixedSigningKeys(),
    clock: () => now,
    priceBook,
  };
}

describe('listOrders', () => {
  async function seeded() {
    const d = deps();
    for (let i = 0; i < 7; i++) {
      const createdAt = new Date(T0.getTime() + i * 60_000).toISOString();
      d.orders.seed(makeOrder({ id: `ord_${i}`, createdAt, status: i % 2 ? 'quoted' : 'queued' }));
    }
    d.orders.seed(makeOrder({ id: 'ord_b', tenantId: 'ten_b' }));
    d.orders.seed(makeOrder({ id: 'ord_s', sandbox: true }));
    return d;
  }

  it('pages newest first through every order of the caller, and only theirs', async () => {
    const d = await seeded();
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listOrders(d, A, { limit: 3, ...(cursor ? { cursor } : {}) });
      seen.push(...page.orders.map((o) => o.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['ord_6', 'ord_5', 'ord_4', 'ord_3', 'ord_2', 'ord_1', 'ord_0']);
    expect((await listOrders(d, A_SANDBOX, { limit: 10 })).orders.map((o) => o.id)).toEqual(['ord_s']);
  });

  it('filters by status and creation time', async () => {
    const d = await seeded();
    const page = await listOrders(d, A, {
      limit: 10,
      status: ['quoted'],
      createdFrom: new Date(T0.getTime() + 2 * 60_000).toISOString(),
    });
    expect(page.orders.map((o) => o.id)).toEqual(['ord_5', 'ord_3']);
  });

  it('refuses a cursor that was edited, or made for another company, space or filter', async () => {
    const d = await seeded();
    const { nextCursor } = await listOrders(d, A, { limit: 2 });
    if (!nextCursor) throw new Error('expected a next page');
    const [payload, mac] = nextCursor.split('.');
    const body = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
    const forged = `${Buffer.from(JSON.stringify({ ...body, t: 'ten_b' })).toString('base64url')}.${mac}`;
    for (const [caller, query] of [
      [A, { limit: 2, cursor: forged }],
      [B, { limit: 2, cursor: nextCursor }],
      [A_SANDBOX, { limit: 2, cursor: nextCursor }],
      [A, { limit: 2, cursor: nextCursor, status: ['quoted' as const] }],
      [A, { limit: 2, cursor: 'garbage' }],
    ] as const) {
      const error = await failure(listOrders(d, caller, query));
      expect(error.kind).toBe('validation');
      expect(error.fields[0]?.path).toBe('cursor');
    }
  });
});

describe('cancelOrder', () => {
  it('cancels before production, once, and emits order.cancelled', async () => {
    const d = deps();
    d.orders.seed(quotedOrder('ord_1'));
    const cancelled = await cancelOrder(d, A, 'ord_1', 'changed our mind');
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.cancellation).toEqual({ at: T0.toISOString(), reason: 'changed our mind' });
    expect((await cancelOrder(d, A, 'ord_1')).version).toBe(cancelled.version);
    expect(d.orders.outbox.map((e) => e.type)).toEqual(['order.cancelled']);
  });

  it('refuses once production started, and hides other companies and the other space', async () => {
    const d = deps();
    d.orders.seed(makeOrder({ id: 'ord_p', status: 'in_production' }));
    expect((await failure(cancelOrder(d, A, 'ord_p'))).kind).toBe('conflict');
    expect((await failure(cancelOrder(d, B, 'ord_p'))).kind).toBe('not_found');
    expect((await failure(cancelOrder(d, A_SANDBOX, 'ord_p'))).kind).toBe('not_found');
  });
});

describe('confirmOrder', () => {
  it('confirms a quote within its price lock', async () => {
    const d = deps();
    d.orders.seed(quotedOrder('ord_1'));
    const confirmed = await confirmOrder(d, A, 'ord_1', {});
    expect(confirmed.status).toBe('confirmed');
    expect(confirmed.confirmation?.manufactureAnyway).toBe(false);
    expect(d.orders.outbox.map((e) => e.type)).toEqual(['order.confirmed']);
    const view = toView(confirmed);
    expect(view.tracking?.estimatedCompletionAt).toBe('2026-11-29T20:00:00.000Z'); // 152 planned hours after T0;
    expect(view.tracking?.atRisk).toBe(false);
    expect(toView({ ...confirmed, dueDate: '2026-11-25' }).tracking?.atRisk).toBe(true);
  });

  it('prices an expired quote again and explains the change instead of confirming', async () => {
    const later = new Date(T0.getTime() + 48 * 3_600_000);
    const dearerGold = (at: Date): PriceBook => {
      const book = demoPriceBook(at);
      const gold = book.metals.au750y;
      if (!gold) throw new Error('demo book has gold');
      return { ...book, metals: { ...book.metals, au750y: { ...gold, perGram: gold.perGram + 1_000 } } };
    };
    const d = deps(later, dearerGold);
    d.orders.seed(quotedOrder('ord_1'));
    const before = (await d.orders.get('ten_a', 'ord_1'))?.result?.quote;

    const error = await failure(confirmOrder(d, A, 'ord_1', {}));

    expect(error.kind).toBe('quote_changed');
    const details = error.details as { quote: { total: number }; previousQuote: { total: number }; changes: unknown[] };
    expect(details.previousQuote.total).toBe(before?.total);
    expect(details.quote.total).toBeGreaterThan(before?.total ?? Infinity);
    expect(details.changes).toContainEqual(expect.objectContaining({ code: 'metal' }));
    const kept = await d.orders.get('ten_a', 'ord_1');
    expect(kept?.status).toBe('quoted');
    expect(kept?.result?.quote?.total).toBe(details.quote.total);
    // Accepting the new total knowingly confirms.
    const confirmed = await confirmOrder(d, A, 'ord_1', { expectedTotal: details.quote.total });
    expect(confirmed.confirmation?.total).toBe(details.quote.total);
  });

  it('refuses a stale expectedTotal', async () => {
    const d = deps();
    d.orders.seed(quotedOrder('ord_1'));
    expect((await failure(confirmOrder(d, A, 'ord_1', { expectedTotal: 1 }))).kind).toBe('quote_changed');
  });

  it('manufactures a priced rejected model only when asked to, and never an unmeasured one', async () => {
    const d = deps();
    d.orders.seed(quotedOrder('ord_thin', demoPriceBook(T0), { status: 'rejected' }));
    d.orders.seed(makeOrder({ id: 'ord_junk', status: 'rejected', result: { reportKey: 'r' } }));
    expect((await failure(confirmOrder(d, A, 'ord_thin', {}))).kind).toBe('conflict');
    const confirmed = await confirmOrder(d, A, 'ord_thin', { manufactureAnyway: true });
    expect(confirmed.confirmation?.manufactureAnyway).toBe(true);
    expect((await failure(confirmOrder(d, A, 'ord_junk', { manufactureAnyway: true }))).kind).toBe('conflict');
  });
});

describe('replaceModel', () => {
  it('takes a rejected order back to awaiting_upload with a new file, and drops the old results', async () => {
    const d = { ...deps(), blobs: new MemoryBlobStore(), presignTtlSeconds: 900 };
    d.orders.seed(quotedOrder('ord_1', demoPriceBook(T0), { status: 'rejected' }));
    const { order, upload } = await replaceModel(d as never, A, 'ord_1', { name: 'fixed.stl', size: 100 });
    expect(order.status).toBe('awaiting_upload');
    expect(order.file.name).toBe('fixed.stl');
    expect(order.file.id).not.toBe('file_1');
    expect(order.result).toBeUndefined();
    expect(upload.parts).toHaveLength(1);
    expect(d.orders.outbox.map((e) => e.type)).toEqual(['order.model-replaced']);
  });

  it('refuses while calculating or once confirmed, and for another company', async () => {
    const d = { ...deps(), blobs: new MemoryBlobStore(), presignTtlSeconds: 900 };
    d.orders.seed(makeOrder({ id: 'ord_c', status: 'calculating' }));
    d.orders.seed(makeOrder({ id: 'ord_k', status: 'confirmed' }));
    const file = { name: 'x.stl', size: 1 };
    expect((await failure(replaceModel(d as never, A, 'ord_c', file))).kind).toBe('conflict');
    expect((await failure(replaceModel(d as never, A, 'ord_k', file))).kind).toBe('conflict');
    expect((await failure(replaceModel(d as never, B, 'ord_c', file))).kind).toBe('not_found');
  });
});
