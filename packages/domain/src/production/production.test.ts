import { boardView } from '@facet/contracts/operators';
import { describe, expect, it } from 'vitest';
import { withFlags } from '../board/card.ts';
import { projectEvent } from '../board/projector.ts';
import { BoardReader } from '../board/reader.ts';
import type { Order } from '../order.ts';
import { failure } from '../testing/failure.ts';
import { MemoryOrderStore } from '../testing/fakes.ts';
import { MemoryBoardStore, MemoryTreeStore } from '../testing/production-fakes.ts';
import type { Operator } from './operator.ts';
import { applyOrderAction } from './order-actions.ts';
import { scheduleFlags } from './schedule.ts';
import { advanceTree, createTree } from './trees.ts';

const T0 = new Date('2030-03-01T08:00:00Z');
const ana: Operator = { sub: 'op-1', email: 'ana@facet.local', role: 'operator', ip: '10.1.2.3' };

const confirmed = (id: string, overrides: Partial<Order> = {}): Order => ({
  tenantId: 'ten_a',
  id,
  reference: `PO-${id}`,
  status: 'confirmed',
  version: 7,
  dueDate: '2030-03-20',
  items: [{ alloy: 'au750y', quantity: 2, finish: 'high_polish' }],
  file: { id: 'f', name: 'ring.stl', size: 10, key: 'k', uploadId: 'u', partSize: 10 },
  result: {
    reportKey: 'r',
    thumbnailKey: `t/${id}.png`,
    metrics: { volumeMm3: 400, areaMm2: 900, boundingBoxMm: [20, 20, 4], triangles: 100, weightGrams: 6.9 },
  },
  confirmation: { at: '2030-02-28T08:00:00Z', total: 900, currency: 'EUR', manufactureAnyway: false },
  history: [{ status: 'confirmed', at: '2030-02-28T08:00:00Z' }],
  correlationId: 'c',
  createdAt: '2030-02-27T08:00:00Z',
  updatedAt: '2030-02-28T08:00:00Z',
  ...overrides,
});

function setup(...orders: Order[]) {
  let now = T0.getTime();
  const store = new MemoryOrderStore();
  for (const o of orders) store.seed(o);
  const deps = { orders: store, trees: new MemoryTreeStore(), clock: () => new Date(now) };
  return { deps, store, advance: (h: number) => (now += h * 3_600_000) };
}

describe('production actions', () => {
  it('takes an order from confirmed through every stage to delivered, one event per action, with the operator', async () => {
    // Prepare
    const { deps, store } = setup(confirmed('ord_1'));
    let version = 7;
    const act = async (action: Parameters<typeof applyOrderAction>[3]) => {
      const order = await applyOrderAction(deps, ana, 'ord_1', action, version);
      version = order.version;
      return order;
    };
    // Act
    await act({ type: 'start' });
    for (let i = 0; i < 6; i++) await act({ type: 'advance' });
    await act({ type: 'record-weights', point: 'finishing', gramsIn: 14.2, gramsOut: 13.9 });
    const shipped = await act({ type: 'ship', carrier: 'DHL', trackingNumber: 'JD0142' });
    const delivered = await act({ type: 'deliver' });
    // Assess
    expect(shipped.production?.shipment).toMatchObject({ carrier: 'DHL', trackingNumber: 'JD0142' });
    expect(delivered.status).toBe('delivered');
    const events = await store.events('ten_a', 'ord_1');
    expect(events.map((e) => e.type)).toEqual([
      'order.in-production',
      ...Array(6).fill('order.stage-changed'),
      'order.weighed',
      'order.shipped',
      'order.delivered',
    ]);
    expect(events.map((e) => e.data.stage).slice(0, 7)).toEqual([
      'print',
      'tree_invest',
      'burnout_cast',
      'divest_clean',
      'finish',
      'qc_hallmark',
      'pack_ship',
    ]);
    expect(events.every((e) => e.actor?.email === 'ana@facet.local' && e.actor.ip === '10.1.2.3')).toBe(true);
  });

  it('refuses a stale version, advancing a held order, shipping before packing, and metal gained', async () => {
    const { deps } = setup(confirmed('ord_1'));
    expect((await failure(applyOrderAction(deps, ana, 'ord_1', { type: 'start' }, 6))).details).toEqual({
      currentVersion: 7,
    });
    const started = await applyOrderAction(deps, ana, 'ord_1', { type: 'start' }, 7);
    const ship = await failure(
      applyOrderAction(deps, ana, 'ord_1', { type: 'ship', carrier: 'DHL', trackingNumber: 'X1234' }, started.version),
    );
    expect(ship.message).toMatch(/ships from Pack and ship/);
    const weighed = await failure(
      applyOrderAction(
        deps,
        ana,
        'ord_1',
        { type: 'record-weights', point: 'casting', gramsIn: 10, gramsOut: 11 },
        started.version,
      ),
    );
    expect(weighed.fields).toEqual([{ path: 'action.gramsOut', message: 'must not exceed gramsIn' }]);
    const held = await applyOrderAction(
      deps,
      ana,
      'ord_1',
      { type: 'hold', reason: 'porosity at the shank' },
      started.version,
    );
    expect((await failure(applyOrderAction(deps, ana, 'ord_1', { type: 'advance' }, held.version))).message).toMatch(
      /on hold/,
    );
    const resumed = await applyOrderAction(deps, ana, 'ord_1', { type: 'resume' }, held.version);
    expect(resumed.production?.hold).toBeUndefined();
  });

  it('never produces a sandbox order and re-runs only failed calculations', async () => {
    const { deps, store } = setup(
      confirmed('ord_s', { sandbox: true }),
      confirmed('ord_f', { status: 'failed', failureReason: 'x' }),
    );
    expect((await failure(applyOrderAction(deps, ana, 'ord_s', { type: 'start' }, 7))).kind).toBe('not_found');
    const rerun = await applyOrderAction(deps, ana, 'ord_f', { type: 'rerun' }, 7);
    expect(rerun.status).toBe('queued');
    expect((await store.events('ten_a', 'ord_f')).map((e) => e.type)).toEqual(['order.queued']);
  });
});

describe('casting trees', () => {
  it('casts orders of one alloy together and tells the metal to melt', async () => {
    const { deps, store } = setup(confirmed('ord_1'), confirmed('ord_2'));
    const tree = await createTree(deps, ana, ['ord_1', 'ord_2']);
    // 2 orders × 2 pieces × 400 mm³ = 1.6 cm³: 1.6 g of resin; 18K yellow 15.58 g/cm³ + 10 % sprue = 27.42 g
    expect(tree).toMatchObject({ alloy: 'au750y', stage: 'print', resinGrams: 1.6, metalGrams: 27.42 });
    const one = await store.get('ten_a', 'ord_1');
    expect(one?.production).toMatchObject({ stage: 'print', treeId: tree.id });
    expect(
      (await failure(applyOrderAction(deps, ana, 'ord_1', { type: 'advance' }, one?.version ?? 0))).message,
    ).toMatch(/advance the tree/);
    let moved = await advanceTree(deps, ana, tree.id, 'print');
    moved = await advanceTree(deps, ana, tree.id, 'tree_invest');
    expect((await failure(advanceTree(deps, ana, tree.id, 'tree_invest'))).kind).toBe('conflict');
    moved = await advanceTree(deps, ana, tree.id, 'burnout_cast');
    expect(moved).toMatchObject({ stage: 'divest_clean', closed: true });
    expect((await store.get('ten_a', 'ord_2'))?.production?.stage).toBe('divest_clean');
  });

  it('refuses mixed alloys and orders not ready, writing nothing', async () => {
    const silver = confirmed('ord_2', { items: [{ alloy: 'ag925', quantity: 1 }] });
    const { deps, store } = setup(confirmed('ord_1'), silver, confirmed('ord_3', { status: 'quoted' }));
    expect((await failure(createTree(deps, ana, ['ord_1', 'ord_2']))).message).toMatch(/one alloy/);
    expect((await failure(createTree(deps, ana, ['ord_1', 'ord_3']))).message).toMatch(/only confirmed or printing/);
    expect(await store.events('ten_a', 'ord_1')).toEqual([]);
    expect(deps.trees.trees.size).toBe(0);
  });
});

describe('the board projection', () => {
  it('moves cards forward only: a replayed or late event changes nothing', async () => {
    // Prepare
    const { deps, store } = setup(confirmed('ord_1'));
    const board = new MemoryBoardStore();
    const projector = { orders: store, board, companyName: async () => 'Aurum <b>Ltd</b>' };
    await applyOrderAction(deps, ana, 'ord_1', { type: 'start' }, 7);
    await applyOrderAction(deps, ana, 'ord_1', { type: 'advance' }, 8);
    const [started, advanced] = await store.events('ten_a', 'ord_1');
    // Act: the later event first, then the earlier one, then the later one again
    expect(await projectEvent(projector, advanced as never)).toBe('projected');
    expect(await projectEvent(projector, started as never)).toBe('stale');
    expect(await projectEvent(projector, advanced as never)).toBe('stale');
    // Assess
    const [card] = await board.all();
    expect(card?.card).toMatchObject({ column: 'tree_invest', version: 9, company: 'Aurum <b>Ltd</b>' });
    expect(card?.card.lastChange).toMatchObject({
      what: 'moved to Sprue, tree and invest',
      by: { email: 'ana@facet.local' },
    });
    expect(await board.version()).toBe(1);
  });

  it('answers the same board and ETag until something changes, then only the change', async () => {
    let now = T0.getTime();
    const { deps, store } = setup(confirmed('ord_1'), confirmed('ord_2'));
    const board = new MemoryBoardStore(() => now);
    const projector = { orders: store, board, companyName: async () => 'Aurum' };
    const reader = new BoardReader(board, () => new Date(now));
    await applyOrderAction(deps, ana, 'ord_1', { type: 'start' }, 7);
    for (const e of await store.events('ten_a', 'ord_1')) await projectEvent(projector, e);
    const { answer: first } = await reader.read();
    const cardsOf = (answer: { body: string }) => boardView.parse(JSON.parse(answer.body)).cards;
    expect(cardsOf(first).map((c) => c.orderId)).toEqual(['ord_1']);
    now += 1000;
    expect((await reader.read()).answer.etag).toBe(first.etag);
    await applyOrderAction(deps, ana, 'ord_2', { type: 'start' }, 7);
    for (const e of await store.events('ten_a', 'ord_2')) await projectEvent(projector, e);
    const { answer: second } = await reader.read();
    expect(second.etag).not.toBe(first.etag);
    expect(
      cardsOf(second)
        .map((c) => c.orderId)
        .sort(),
    ).toEqual(['ord_1', 'ord_2']);
    // The body is its parts joined: ord_1's bucket as it was, ord_2's card added.
    expect(second.parts.join('')).toBe(second.body);
    expect(second.parts).toContain(first.parts[1]);
    // Its unchanged cards' JSON reused, the changed one written anew: each is the card with its flags of now.
    const expected = (await board.all()).map((c) => withFlags(c, new Date(now)));
    expect(cardsOf(second)).toEqual(expect.arrayContaining(expected));
    // A new minute: a new ETag, every card with its flags of the new minute.
    now += 60_000;
    const { answer: third } = await reader.read();
    expect(third.etag).not.toBe(second.etag);
    expect(cardsOf(third)).toEqual(expect.arrayContaining((await board.all()).map((c) => withFlags(c, new Date(now)))));
    // A rebuild writes ord_1's card again with the same versions and a new field value: shown at the next read,
    // while ord_2's bucket (re-read in the slack, unchanged) is the string it was.
    const [one] = (await board.all()).filter((c) => c.card.orderId === 'ord_1');
    if (!one) throw new Error('ord_1 is not on the board');
    await board.put({ ...one, card: { ...one.card, company: 'Aurum Renamed' } }, { force: true });
    await board.bump();
    now += 1000;
    const { answer: fourth } = await reader.read();
    expect(cardsOf(fourth).find((c) => c.orderId === 'ord_1')?.company).toBe('Aurum Renamed');
    expect(fourth.parts.filter((p) => p.includes('"ord_2"'))).toEqual(third.parts.filter((p) => p.includes('"ord_2"')));
  });
});

describe('schedule flags', () => {
  it('marks overdue, at risk and rush from the due day and the planned hours left', () => {
    const order = { dueDate: '2030-03-05', status: 'in_production', stage: 'qc_hallmark' as const };
    // 48 h of QC + 8 h packing from 2030-03-04 08:00 ends 03-06 16:00: past the 5th
    expect(
      scheduleFlags({ ...order, stageStartedAt: '2030-03-04T08:00:00Z' }, new Date('2030-03-04T08:00:00Z')),
    ).toMatchObject({
      atRisk: true,
      overdue: false,
    });
    expect(
      scheduleFlags({ ...order, stageStartedAt: '2030-03-03T08:00:00Z' }, new Date('2030-03-04T08:00:00Z')).atRisk,
    ).toBe(false);
    expect(scheduleFlags(order, new Date('2030-03-06T00:00:01Z')).overdue).toBe(true);
    expect(scheduleFlags({ ...order, confirmedAt: '2030-03-01T00:00:00Z' }, T0).rush).toBe(true);
  });
});
