import type { ProjectedCard } from '../board/card.ts';
import type { BoardChange, BoardStore } from '../board/ports.ts';
import { conflict } from '../errors.ts';
import type { CastingTree, TreeStore } from '../production/trees.ts';

/** In-memory board projection for unit tests (adapters/ has the DynamoDB one). */
export class MemoryBoardStore implements BoardStore {
  readonly cards = new Map<string, { projected?: ProjectedCard; closed: boolean; orderVersion: number; at: number }>();
  private counter = 0;
  constructor(private readonly now: () => number = () => Date.now()) {}
  async put(projected: ProjectedCard, options: { force?: boolean } = {}) {
    const held = this.cards.get(projected.card.orderId);
    const newer =
      !held ||
      held.orderVersion < projected.card.version ||
      (held.orderVersion === projected.card.version && (held.projected?.eventVersion ?? 0) < projected.eventVersion);
    if (!newer && !options.force) return false;
    this.cards.set(projected.card.orderId, {
      projected,
      closed: false,
      orderVersion: projected.card.version,
      at: this.now(),
    });
    return true;
  }
  async close(orderId: string, orderVersion: number) {
    const held = this.cards.get(orderId);
    if (held && held.orderVersion >= orderVersion) return false;
    this.cards.set(orderId, { closed: true, orderVersion, at: this.now() });
    return true;
  }
  async bump() {
    return ++this.counter;
  }
  async version() {
    return this.counter;
  }
  async all() {
    return [...this.cards.values()].flatMap((c) => (c.projected && !c.closed ? [c.projected] : []));
  }
  async changedSince(sinceMs: number): Promise<BoardChange[]> {
    return [...this.cards.entries()]
      .filter(([, c]) => c.at >= sinceMs)
      .map(([orderId, c]) =>
        c.closed || !c.projected
          ? { orderId, closed: true as const }
          : { orderId, closed: false as const, projected: c.projected },
      );
  }
  async thumbnailKeys(orderIds: readonly string[]) {
    const keys = new Map<string, string>();
    for (const id of orderIds) {
      const key = this.cards.get(id)?.projected?.thumbnailKey;
      if (key) keys.set(id, key);
    }
    return keys;
  }
}

export class MemoryTreeStore implements TreeStore {
  readonly trees = new Map<string, CastingTree>();
  async create(tree: CastingTree) {
    if (this.trees.has(tree.id)) throw conflict('exists');
    this.trees.set(tree.id, structuredClone(tree));
  }
  async get(id: string) {
    const t = this.trees.get(id);
    return t ? structuredClone(t) : undefined;
  }
  async listOpen() {
    return [...this.trees.values()].filter((t) => !t.closed).map((t) => structuredClone(t));
  }
  async save(tree: CastingTree, expectedRevision: number) {
    if (this.trees.get(tree.id)?.revision !== expectedRevision) throw conflict('revision');
    this.trees.set(tree.id, structuredClone(tree));
  }
}
