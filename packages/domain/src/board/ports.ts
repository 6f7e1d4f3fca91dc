import type { ProjectedCard } from './card.ts';

/** One change of the projection: a card written, or an order that left the board. */
export type BoardChange =
  | { readonly orderId: string; readonly closed: false; readonly projected: ProjectedCard }
  | { readonly orderId: string; readonly closed: true };

/**
 * How much older than its commit a change's time may be: a store whose write took longer stamps the change again
 * (so a reader re-reads only this far back, not as far as a write may take).
 */
export const CHANGE_COMMIT_MS = 2_000;

/**
 * The board's read model (the cache the seed asks for): one item per open order, written only forward in the
 * order's versions, and a version counter bumped after every write, so readers can tell "unchanged" in one read.
 */
export interface BoardStore {
  /** Writes the card unless the stored one is of this order version or newer; returns whether it wrote. */
  put(projected: ProjectedCard, options?: { force?: boolean }): Promise<boolean>;
  /** Takes the order off the board (delivered, cancelled, deleted) unless a newer version is stored. */
  close(orderId: string, orderVersion: number): Promise<boolean>;
  /** Bumps the board's version after a write; returns the new version. */
  bump(): Promise<number>;
  version(): Promise<number>;
  /** Every open card (a cold reader's full load: a bounded number of pages, no scan). */
  all(): Promise<ProjectedCard[]>;
  /**
   * Cards written at or after `sinceMs` (epoch ms), closed ones included. A change's time is at most
   * CHANGE_COMMIT_MS before it can be read.
   */
  changedSince(sinceMs: number): Promise<BoardChange[]>;
  /** The thumbnail keys of some cards. */
  thumbnailKeys(orderIds: readonly string[]): Promise<Map<string, string>>;
}
