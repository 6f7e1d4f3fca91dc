import type { BoardCard } from '@facet/contracts/operators';
import { BOARD_COLUMNS } from '@facet/contracts/operators';
import { scheduleFlags } from '../production/schedule.ts';
import type { ProjectedCard } from './card.ts';
import { withFlags } from './card.ts';
import { type BoardStore, CHANGE_COMMIT_MS } from './ports.ts';

/**
 * Writers commit a card, then bump the version; a reader that saw version N is shown every card written before N.
 * Re-reading the last SLACK of changes on each refresh covers a change committed after the last refresh with a
 * time before it (at most CHANGE_COMMIT_MS before) and the writers' clocks (applying a card twice is harmless: the
 * newer version wins). A short slack matters after a burst (a bulk action, a rebuild): every refresh re-reads it.
 */
const CLOCK_SKEW_MS = 1_000;
const SLACK_MS = CHANGE_COMMIT_MS + CLOCK_SKEW_MS;
/** A full reload now and then, so a change missed for any reason heals within this long. */
const FULL_RELOAD_MS = 10 * 60_000;
/** The flags depend on the clock: the answer (and its ETag) is recomputed at least this often. */
const FLAGS_MS = 60_000;

export interface BoardAnswer {
  readonly etag: string;
  /** Serialized once per (version, minute): most requests send a string they already have. */
  readonly body: string;
}

/** One card's JSON as last served: its fields without the flags (per card version), and with them (per minute). */
interface CardJson {
  readonly key: string;
  /** `{...` without the closing brace, so the flags are appended without serializing the card again. */
  readonly open: string;
  minute: number;
  flags: string;
  json: string;
}

/**
 * The board as a warm function keeps it: every open card in memory, refreshed from the projection's changes. An
 * unchanged board costs one read (the version) and no serialization; a changed one the version plus the recent
 * changes, and a body joined from the cards' kept JSON (a changed card is serialized again, the others are not;
 * a new minute recomputes each card's flags, but serializes no card again).
 */
export class BoardReader {
  private cards = new Map<string, ProjectedCard>();
  private loadedVersion = -1;
  private watermark = 0;
  private lastFullLoad = 0;
  private answer?: { key: string; value: BoardAnswer };
  private cardJson = new Map<string, CardJson>();

  constructor(
    private readonly store: BoardStore,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** The board as of now, and how long this read spent on the store and on rendering (0 when it reused). */
  async read(): Promise<BoardAnswer & { readonly storeMs: number; readonly renderMs: number }> {
    const now = this.clock();
    const started = performance.now();
    const version = await this.store.version();
    if (this.loadedVersion < 0 || now.getTime() - this.lastFullLoad > FULL_RELOAD_MS) {
      await this.fullLoad(now);
      this.loadedVersion = version;
    } else if (version !== this.loadedVersion) {
      const since = this.watermark - SLACK_MS;
      this.watermark = now.getTime();
      for (const change of await this.store.changedSince(since)) {
        if (change.closed) {
          this.cards.delete(change.orderId);
          this.cardJson.delete(change.orderId);
        } else this.apply(change.projected);
      }
      this.loadedVersion = version;
    }
    const read = performance.now();
    const key = `${this.loadedVersion}.${Math.floor(now.getTime() / FLAGS_MS)}`;
    if (this.answer?.key !== key) this.answer = { key, value: this.render(now, key) };
    return { ...this.answer.value, storeMs: read - started, renderMs: performance.now() - read };
  }

  /** The cards of one column (e.g. attention), flags computed now. */
  async column(id: string): Promise<BoardCard[]> {
    const now = this.clock();
    await this.read();
    return [...this.cards.values()].filter((c) => c.card.column === id).map((c) => withFlags(c, now));
  }

  private async fullLoad(now: Date): Promise<void> {
    this.watermark = now.getTime();
    const cards = await this.store.all();
    this.cards = new Map(cards.map((c) => [c.card.orderId, c]));
    this.cardJson.clear();
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
    const parts: string[] = [];
    for (const projected of this.cards.values()) parts.push(this.cardJsonOf(projected, now, minute));
    const body = `{"version":${this.loadedVersion},"generatedAt":${JSON.stringify(now.toISOString())},"columns":${COLUMNS_JSON},"cards":[${parts.join(',')}]}`;
    return { etag: `"${key}"`, body };
  }

  /** The card's JSON with its flags as of `now` (the same field order as `withFlags`). */
  private cardJsonOf(projected: ProjectedCard, now: Date, minute: number): string {
    const id = projected.card.orderId;
    const cardKey = `${projected.card.version}.${projected.eventVersion}`;
    let held = this.cardJson.get(id);
    if (held?.key !== cardKey) {
      const open = JSON.stringify(projected.card).slice(0, -1);
      held = { key: cardKey, open, minute: -1, flags: '', json: '' };
      this.cardJson.set(id, held);
    }
    if (held.minute !== minute) {
      const { overdue, atRisk, rush } = scheduleFlags(projected.schedule, now);
      const flags = `,"overdue":${overdue},"atRisk":${atRisk},"rush":${rush}}`;
      held.minute = minute;
      // Most cards' flags are the same from one minute to the next: their JSON string is kept as it was.
      if (flags !== held.flags) {
        held.flags = flags;
        held.json = held.open + flags;
      }
    }
    return held.json;
  }
}

const COLUMNS_JSON = JSON.stringify(BOARD_COLUMNS.map((c) => ({ id: c.id, label: c.label })));
