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

/** Cards go to this many buckets by order id: a changed card changes its bucket's JSON, not the others'. */
const BUCKETS = 64;

export interface BoardAnswer {
  readonly etag: string;
  /** Serialized once per (version, minute): most requests send a string they already have. */
  readonly body: string;
  /**
   * The body in parts (`body` is their join): the head, each bucket's cards, the tail. A bucket whose cards did
   * not change is the same string as in the answer before, so a transport can keep what it made of it (gzip).
   */
  readonly parts: readonly string[];
}

/** A read of the board: the answer, and how long it took on the store and on rendering (0 when it reused). */
export interface BoardRead {
  readonly answer: BoardAnswer;
  readonly storeMs: number;
  readonly renderMs: number;
}

/** One card's JSON as last served: its fields without the flags (until it changes), and with them (per minute). */
interface CardJson {
  /** `{...` without the closing brace, so the flags are appended without serializing the card again. */
  readonly open: string;
  minute: number;
  flags: string;
  json: string;
}

/** The cards of one bucket (in the order they came) and their JSON as last joined, unless a card changed since. */
interface Bucket {
  readonly ids: Set<string>;
  json: string;
  dirty: boolean;
}

/**
 * The board as a warm function keeps it: every open card in memory, refreshed from the projection's changes. An
 * unchanged board costs one read (the version) and no serialization; a changed one the version plus the recent
 * changes, and a body of the buckets' kept JSON where only the buckets of the changed cards are joined again (a
 * changed card is serialized again, the others are not; a new minute recomputes each card's flags, and joins
 * again only the buckets where a flag moved).
 */
export class BoardReader {
  private cards = new Map<string, ProjectedCard>();
  private loadedVersion = -1;
  private watermark = 0;
  private lastFullLoad = 0;
  private answer?: { key: string; value: BoardAnswer };
  private cardJson = new Map<string, CardJson>();
  private buckets: Bucket[] = emptyBuckets();
  /** The minute of the flags in the buckets' JSON. */
  private flagsMinute = -1;

  constructor(
    private readonly store: BoardStore,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** The board as of now, and how long this read spent on the store and on rendering (0 when it reused). */
  async read(): Promise<BoardRead> {
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
        if (change.closed) this.remove(change.orderId);
        else this.apply(change.projected);
      }
      this.loadedVersion = version;
    }
    const read = performance.now();
    const key = `${this.loadedVersion}.${Math.floor(now.getTime() / FLAGS_MS)}`;
    if (this.answer?.key !== key) this.answer = { key, value: this.render(now, key) };
    return { answer: this.answer.value, storeMs: read - started, renderMs: performance.now() - read };
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
    this.cards = new Map();
    this.cardJson.clear();
    this.buckets = emptyBuckets();
    for (const c of cards) this.set(c);
    this.lastFullLoad = now.getTime();
  }

  private apply(projected: ProjectedCard): void {
    const held = this.cards.get(projected.card.orderId);
    if (held) {
      const order = projected.card.version - held.card.version || projected.eventVersion - held.eventVersion;
      if (order < 0) return;
      // The same versions: a change re-read in the slack (nothing to do) or a rebuild's card (maybe new fields).
      if (order === 0 && JSON.stringify(projected) === JSON.stringify(held)) return;
    }
    this.set(projected);
  }

  /** A new or changed card: its JSON is written again, with its bucket's. */
  private set(projected: ProjectedCard): void {
    const id = projected.card.orderId;
    this.cards.set(id, projected);
    this.cardJson.delete(id);
    const bucket = this.bucketOf(id);
    bucket.ids.add(id);
    bucket.dirty = true;
  }

  private remove(orderId: string): void {
    if (!this.cards.delete(orderId)) return;
    this.cardJson.delete(orderId);
    const bucket = this.bucketOf(orderId);
    bucket.ids.delete(orderId);
    bucket.dirty = true;
  }

  private bucketOf(orderId: string): Bucket {
    return this.buckets[bucketIndex(orderId)] as Bucket;
  }

  private render(now: Date, key: string): BoardAnswer {
    const minute = Math.floor(now.getTime() / FLAGS_MS);
    if (minute !== this.flagsMinute) {
      // The flags follow the clock: every card's are computed again, its bucket joined again only if they moved.
      for (const bucket of this.buckets) {
        for (const id of bucket.ids) {
          const held = this.cardJson.get(id);
          const before = held?.json;
          if (this.cardJsonOf(this.cards.get(id) as ProjectedCard, now, minute).json !== before) bucket.dirty = true;
        }
      }
      this.flagsMinute = minute;
    }
    const head = `{"version":${this.loadedVersion},"generatedAt":${JSON.stringify(now.toISOString())},"columns":${COLUMNS_JSON},"cards":[`;
    const parts = [head];
    for (const bucket of this.buckets) {
      if (bucket.dirty) {
        const cards: string[] = [];
        for (const id of bucket.ids) cards.push(this.cardJsonOf(this.cards.get(id) as ProjectedCard, now, minute).json);
        bucket.json = cards.join(',');
        bucket.dirty = false;
      }
      if (!bucket.ids.size) continue;
      if (parts.length > 1) parts.push(',');
      parts.push(bucket.json);
    }
    parts.push(']}');
    let body: string | undefined;
    return {
      etag: `"${key}"`,
      parts,
      // Joined when a client asks for plain JSON (the site asks for the gzipped parts).
      get body() {
        body ??= parts.join('');
        return body;
      },
    };
  }

  /** The card's JSON with its flags as of `now` (the same field order as `withFlags`). */
  private cardJsonOf(projected: ProjectedCard, now: Date, minute: number): CardJson {
    const id = projected.card.orderId;
    let held = this.cardJson.get(id);
    if (!held) {
      held = { open: JSON.stringify(projected.card).slice(0, -1), minute: -1, flags: '', json: '' };
      this.cardJson.set(id, held);
    }
    if (held.minute !== minute) {
      // `,"overdue":…}`: the flags' own JSON, its opening brace dropped, as `withFlags` spreads them after the card.
      const flags = `,${JSON.stringify(scheduleFlags(projected.schedule, now)).slice(1)}`;
      held.minute = minute;
      // Most cards' flags are the same from one minute to the next: their JSON string is kept as it was.
      if (flags !== held.flags) {
        held.flags = flags;
        held.json = held.open + flags;
      }
    }
    return held;
  }
}

const emptyBuckets = (): Bucket[] =>
  Array.from({ length: BUCKETS }, () => ({ ids: new Set<string>(), json: '', dirty: false }));

/** FNV-1a of the order id: a card stays in its bucket for life. */
function bucketIndex(orderId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < orderId.length; i++) hash = Math.imul(hash ^ orderId.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % BUCKETS;
}

const COLUMNS_JSON = JSON.stringify(BOARD_COLUMNS.map((c) => ({ id: c.id, label: c.label })));
