import type { OrderEvent } from '@facet/contracts';
import type { OrderStore } from '../ports.ts';
import { columnOf, projectCard } from './card.ts';
import type { BoardStore } from './ports.ts';

export interface ProjectorDeps {
  readonly orders: OrderStore;
  readonly board: BoardStore;
  /** The company's display name (cached by the caller: names rarely change). */
  readonly companyName: (tenantId: string) => Promise<string>;
}

/**
 * Keeps the board's card of an order current from its events. The card is built from the order as it is now (read
 * from the table: no event carries the whole order) and written only forward in (order version, event version):
 * a replayed or late event finds the card already further on and changes nothing, so cards never move backwards.
 */
export async function projectEvent(
  deps: ProjectorDeps,
  event: OrderEvent,
): Promise<'projected' | 'closed' | 'stale' | 'skipped'> {
  const order = await deps.orders.get(event.tenantId, event.orderId);
  // Sandbox orders are never produced: they have no place on the workshop's board.
  if (!order || order.sandbox) return 'skipped';
  let wrote: boolean;
  let outcome: 'projected' | 'closed';
  if (columnOf(order) === undefined) {
    wrote = await deps.board.close(order.id, order.version);
    outcome = 'closed';
  } else {
    wrote = await deps.board.put(projectCard(order, await deps.companyName(order.tenantId), event));
    outcome = 'projected';
  }
  if (!wrote) return 'stale';
  await deps.board.bump();
  return outcome;
}

/**
 * Rebuilds every card from the orders themselves (after a bug, or for a new field): each live order's card as of
 * its last event, written even over a newer-looking one. Returns how many cards and closed orders it wrote.
 */
export async function rebuildBoard(
  deps: ProjectorDeps,
  orders: AsyncIterable<{ tenantId: string; id: string }>,
): Promise<{ cards: number; closed: number }> {
  const counts = { cards: 0, closed: 0 };
  for await (const ref of orders) {
    const order = await deps.orders.get(ref.tenantId, ref.id);
    if (!order || order.sandbox) continue;
    if (columnOf(order) === undefined) {
      if (await deps.board.close(order.id, order.version)) counts.closed++;
      continue;
    }
    const last = (await deps.orders.events(order.tenantId, order.id)).at(-1);
    if (!last) continue;
    await deps.board.put(projectCard(order, await deps.companyName(order.tenantId), last), { force: true });
    counts.cards++;
  }
  await deps.board.bump();
  return counts;
}
