import type { BoardView } from '@facet/contracts/operators';
import { BOARD_COLUMNS } from '@facet/contracts/operators';
import type { ProjectedCard } from './card.ts';
import { withFlags } from './card.ts';
import type { BoardStore } from './ports.ts';

/**
 * Writers commit a card, then bump the version; a reader that saw version N is shown every card written before N.
 * Re-reading the last SLACK of changes on each refresh covers writers' clocks and the gap between their two
 * writes (applying a card twice is harmless: the newer version wins).
 */
const SLACK_MS = 30_000;
/** A full reload now and then, so a change missed for any reason heals within this long. */
const FULL_RELOAD_MS = 10 * 60_000;
/** The flags depend on the clock: the answer (and its ETag) is recomputed at least this often. */
const FLAGS_MS = 60_000;

export interface BoardAnswer {
  readonly etag: string;
  /** Serialized once per (version, minute): most requests send a string they already have. */
  readonly body: string;
  readonly view: BoardView;
}

/**
 * The board as a warm function keeps it: every open card in memory, refreshed from the projection's changes. An
 * unchanged board costs one read (the version) and no serialization; a changed one the version plus the recent
 * changes; only a cold start reads every card.
 */
export class BoardReader {
  private cards = new Map<string, ProjectedCard>();
  private loadedVersion = -1;
  private watermark = 0;
  private lastFullLoad = 0;
  private answer?: { key: string; value: BoardAnswer };

  constructor(
    private readonly store: BoardStore,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async read(): Promise<BoardAnswer> {
    const now = this.clock();
    const version = await this.store.version();
    if (this.loadedVersion < 0 || now.getTime() - this.lastFullLoad > FULL_RELOAD_MS) {
      await this.fullLoad(now);
      this.loadedVersion = version;
    } else if (version !== this.loadedVersion) {
      const since = this.watermark - SLACK_MS;
      this.watermark = now.getTime();
      for (const change of await this.store.changedSince(since)) {
        if (change.closed) this.cards.delete(change.orderId);
        else this.apply(change.projected);
      }
      this.loadedVersion = version;
    }
    const key = `${this.loadedVersion}.${Math.floor(now.getTime() / FLAGS_MS)}`;
    if (this.answer?.key !== key) this.answer = { key, value: this.render(now, key) };
    return this.answer.value;
  }

  /** The cards of one column (e.g. attention), flags computed now. */
  async column(id: string) {
    const { view } = await this.read();
    return view.cards.filter((c) => c.column === id);
  }

  private async fullLoad(now: Date): Promise<void> {
    this.watermark = now.getTime();
    const cards = await this.store.all();
    this.cards = new Map(cards.map((c) => [c.card.orderId, c]));
    this.lastFullLoad = now.getTime();
  }

  private apply(projected: ProjectedCard): void {
    const held = this.cards.get(projected.card.orderId);
    if (
      !held ||
      held.card.version < projected.card.version ||
      (held.card.version === projected.card.version && held.eventVersion <= projected.eventVersion)
    ) {
      this.cards.set(projected.card.orderId, projected);
    }
  }

  private render(now: Date, key: string): BoardAnswer {
    const view: BoardView = {
      version: this.loadedVersion,
      generatedAt: now.toISOString(),
      columns: BOARD_COLUMNS.map((c) => ({ id: c.id, label: c.label })),
      cards: [...this.cards.values()].map((c) => withFlags(c, now)),
    };
    return { etag: `"${key}"`, body: JSON.stringify(view), view };
  }
}
