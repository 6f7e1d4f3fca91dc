import { notFound } from '../errors.ts';
import type { Order } from '../order.ts';
import type { OrderStore } from '../ports.ts';
import type { Caller } from './deps.ts';

/**
 * Reads an order the caller may see: its own company's, in the same space (live or sandbox). Another company's
 * id and the other space's id are answered exactly like an unknown id.
 */
export async function ownOrder(deps: { orders: OrderStore }, caller: Caller, orderId: string): Promise<Order> {
  const order = await deps.orders.get(caller.tenantId, orderId);
  if (!order || Boolean(order.sandbox) !== caller.sandbox) throw notFound('The order');
  return order;
}
