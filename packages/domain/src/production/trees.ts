import { type AlloyId, gramsFor } from '../alloys.ts';
import { type CastingRules, DEFAULT_CASTING_RULES } from '../casting-rules.ts';
import { conflict, invalid, notFound } from '../errors.ts';
import { newId } from '../ids.ts';
import { change, type Order, transition } from '../order.ts';
import { ADDED_TO_TREE_EVENT, STAGE_CHANGED_EVENT } from '../order-states.ts';
import type { OrderStore } from '../ports.ts';
import type { ProductionStage } from '../production-plan.ts';
import { actorOf, type Operator } from './operator.ts';
import { findOrder } from './order-actions.ts';

/**
 * A casting tree: the printed models of one alloy sprued onto one tree, invested and cast together (JEWELRY.md:
 * casting-tree tools; metal for a tree = wax weight × specific gravity + ~10 %, riogrande.com).
 */
export interface CastingTree {
  readonly id: string;
  readonly alloy: AlloyId;
  /** The stage all its orders are in; after casting they are cut off and go on one by one (`closed`). */
  readonly stage: ProductionStage;
  readonly orders: readonly {
    readonly tenantId: string;
    readonly orderId: string;
    readonly reference?: string;
    readonly pieces: number;
    readonly volumeMm3: number;
  }[];
  readonly resinGrams: number;
  readonly metalGrams: number;
  readonly closed: boolean;
  readonly createdAt: string;
  readonly createdBy?: string;
  /** Bumped by every write; writes are conditional on it. */
  readonly revision: number;
}

export interface TreeStore {
  create(tree: CastingTree): Promise<void>;
  get(treeId: string): Promise<CastingTree | undefined>;
  /** Trees not yet cut (oldest first). */
  listOpen(): Promise<CastingTree[]>;
  /** Writes only if the stored revision is still `expectedRevision`; otherwise a conflict. */
  save(tree: CastingTree, expectedRevision: number): Promise<void>;
}

export interface TreeDeps {
  readonly orders: OrderStore;
  readonly trees: TreeStore;
  readonly clock: () => Date;
  readonly rules?: CastingRules;
}

/** ASSUMPTION: castable resin at 1.0 g/cm³ (JEWELRY.md: castable wax/resin 0.95–1.0). */
const RESIN_DENSITY_G_PER_CM3 = 1.0;
/** Trees carry their orders through these stages; after the last the pieces are cut from the tree. */
export const TREE_MOVES: Readonly<Partial<Record<ProductionStage, ProductionStage>>> = {
  print: 'tree_invest',
  tree_invest: 'burnout_cast',
  burnout_cast: 'divest_clean',
};

const round = (v: number) => Math.round(v * 100) / 100;
const name = (o: Order) => o.reference ?? o.id;

/** Metal to melt for the pieces: their volume at the alloy's density, plus the sprue allowance. */
export function treeMetal(
  alloy: AlloyId,
  pieces: readonly { volumeMm3: number; pieces: number }[],
  rules = DEFAULT_CASTING_RULES,
) {
  const volume = pieces.reduce((sum, p) => sum + p.volumeMm3 * p.pieces, 0);
  return {
    resinGrams: round((volume / 1000) * RESIN_DENSITY_G_PER_CM3),
    metalGrams: round(gramsFor(volume, alloy) * (1 + rules.sprueAllowance)),
  };
}

/**
 * Puts confirmed (or printing) orders of one alloy on a new tree: a confirmed order starts production with it (it
 * is printed with the tree's plate), a printing one joins. Every order is checked before anything is written.
 */
export async function createTree(
  deps: TreeDeps,
  operator: Operator,
  orderIds: readonly string[],
): Promise<CastingTree> {
  if (new Set(orderIds).size !== orderIds.length) {
    throw invalid('An order appears twice in the tree.', [{ path: 'orderIds', message: 'must not repeat' }]);
  }
  const orders = await Promise.all(orderIds.map((id) => findOrder(deps.orders, id)));
  const alloys = new Set(orders.map((o) => o.items[0]?.alloy));
  const [alloy] = [...alloys];
  if (alloys.size !== 1 || !alloy) {
    throw invalid('A tree is cast in one alloy: pick orders of the same alloy.', [
      { path: 'orderIds', message: `alloys ${[...alloys].join(', ')}` },
    ]);
  }
  for (const o of orders) {
    const printing = o.status === 'in_production' && o.production?.stage === 'print';
    if (o.status !== 'confirmed' && !printing)
      throw conflict(
        `Order ${name(o)} is ${o.status.replace('_', ' ')}: only confirmed or printing orders go on a tree.`,
      );
    if (o.production?.treeId) throw conflict(`Order ${name(o)} is already on tree ${o.production.treeId}.`);
    if (o.production?.hold) throw conflict(`Order ${name(o)} is on hold: resume it first.`);
    if (!o.result?.metrics) throw conflict(`Order ${name(o)} has no measured volume.`);
  }
  const now = deps.clock();
  const at = now.toISOString();
  const pieces = orders.map((o) => ({
    tenantId: o.tenantId,
    orderId: o.id,
    ...(o.reference ? { reference: o.reference } : {}),
    pieces: o.items[0]?.quantity ?? 1,
    volumeMm3: o.result?.metrics?.volumeMm3 ?? 0,
  }));
  const tree: CastingTree = {
    id: newId('tree', now.getTime()),
    alloy,
    stage: 'print',
    orders: pieces,
    ...treeMetal(alloy, pieces, deps.rules),
    closed: false,
    createdAt: at,
    createdBy: operator.email,
    revision: 1,
  };
  await deps.trees.create(tree);
  const actor = actorOf(operator);
  for (const o of orders) {
    const step =
      o.status === 'confirmed'
        ? transition(
            o,
            'in_production',
            { production: { stage: 'print', stageStartedAt: at, treeId: tree.id } },
            now,
            undefined,
            actor,
          )
        : change(
            o,
            { production: { ...(o.production ?? { stage: 'print', stageStartedAt: at }), treeId: tree.id } },
            now,
            ADDED_TO_TREE_EVENT,
            actor,
          );
    await deps.orders.save(step.order, o.version, step.event);
  }
  return tree;
}

/**
 * Moves a tree and all its orders to the next stage together (print → tree and invest → burnout and cast →
 * divest, where the pieces are cut off and the tree closes). `expectedStage` guards against a double move; an
 * order already moved (a retried request) is left alone.
 */
export async function advanceTree(
  deps: TreeDeps,
  operator: Operator,
  treeId: string,
  expectedStage: ProductionStage,
): Promise<CastingTree> {
  const tree = await deps.trees.get(treeId);
  if (!tree) throw notFound(`Tree ${treeId}`);
  if (tree.closed) throw conflict(`Tree ${treeId} has been cast and cut already.`);
  if (tree.stage !== expectedStage)
    throw conflict(`Tree ${treeId} is at ${tree.stage}, not ${expectedStage}: look again.`);
  const to = TREE_MOVES[tree.stage];
  if (!to) throw conflict(`Tree ${treeId} cannot move on from ${tree.stage}.`);
  const orders = await Promise.all(tree.orders.map((o) => findOrder(deps.orders, o.orderId)));
  const held = orders.filter((o) => o.production?.hold);
  if (held.length)
    throw conflict(`On hold: ${held.map(name).join(', ')}. Resume them (or take them off the tree) first.`);
  const now = deps.clock();
  const at = now.toISOString();
  const actor = actorOf(operator);
  for (const o of orders) {
    if (o.status !== 'in_production' || !o.production || o.production.stage !== tree.stage) continue;
    const step = change(
      o,
      { production: { ...o.production, stage: to, stageStartedAt: at } },
      now,
      STAGE_CHANGED_EVENT,
      actor,
    );
    await deps.orders.save(step.order, o.version, step.event);
  }
  const next: CastingTree = { ...tree, stage: to, closed: to === 'divest_clean', revision: tree.revision + 1 };
  await deps.trees.save(next, tree.revision);
  return next;
}
