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
  /** Each card's JSON, kept while the card and the minute are the same: a change re-serializes one card, not all. */
  private cardJson = new Map<string, { key: string; json: string }>();

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
    const minute = Math.floor(now.getTime() / FLAGS_MS);
    const columns = BOARD_COLUMNS.map((c) => ({ id: c.id, label: c.label }));
    const cards = [];
    const parts: string[] = [];
    const kept = new Map<string, { key: string; json: string }>();
    for (const projected of this.cards.values()) {
      const card = withFlags(projected, now);
      cards.push(card);
      const cardKey = `${projected.card.version}.${projected.eventVersion}.${minute}`;
      const held = this.cardJson.get(card.orderId);
      const entry = held?.key === cardKey ? held : { key: cardKey, json: JSON.stringify(card) };
      kept.set(card.orderId, entry);
      parts.push(entry.json);
    }
    this.cardJson = kept;
    const view: BoardView = { version: this.loadedVersion, generatedAt: now.toISOString(), columns, cards };
    const body = `{"version":${view.version},"generatedAt":${JSON.stringify(view.generatedAt)},"columns":${JSON.stringify(columns)},"cards":[${parts.join(',')}]}`;
    return { etag: `"${key}"`, body, view };
  }
}
