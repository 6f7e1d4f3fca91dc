import { conflict } from '../errors.ts';
import { type Order, transition } from '../order.ts';
import { canTransition } from '../order-states.ts';
import type { Caller, OrderDeps } from './deps.ts';
import { ownOrder } from './own-order.ts';

/**
 * Cancels an order before production. A calculation in flight finds the order cancelled when it commits and
 * drops its result (the commit is conditional on the version).
 */
export async function cancelOrder(
  deps: Pick<OrderDeps, 'orders' | 'clock'>,
  caller: Caller,
  orderId: string,
  reason?: string,
): Promise<Order> {
  const order = await ownOrder(deps, caller, orderId);
  if (order.status === 'cancelled') return order;
  if (!canTransition(order.status, 'cancelled')) {
    throw conflict(`The order is ${order.status.replace('_', ' ')}; it can no longer be cancelled.`);
  }
  const now = deps.clock();
  const { order: next, event } = transition(
    order,
    'cancelled',
    { cancellation: { at: now.toISOString(), ...(reason ? { reason } : {}) }, lease: undefined, progress: undefined },
    now,
    undefined,
    caller.actor,
  );
  await deps.orders.save(next, order.version, event);
  return next;
}
