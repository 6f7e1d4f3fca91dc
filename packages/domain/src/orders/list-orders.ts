import type { OrderView } from '@facet/contracts';
import { invalid } from '../errors.ts';
import type { OrderStatus } from '../order-states.ts';
import { openCursor, sealCursor } from './cursor.ts';
import type { Caller, OrderDeps } from './deps.ts';
import { toView } from './get-order.ts';

/** A page of the caller's orders, newest first, filtered by status and creation time. */
export async function listOrders(
  deps: Pick<OrderDeps, 'orders' | 'keys'>,
  caller: Caller,
  query: {
    readonly status?: readonly OrderStatus[] | undefined;
    readonly createdFrom?: string | undefined;
    readonly createdTo?: string | undefined;
    readonly limit: number;
    readonly cursor?: string | undefined;
  },
): Promise<{ orders: OrderView[]; nextCursor?: string }> {
  const createdFrom = query.createdFrom ? new Date(query.createdFrom).toISOString() : undefined;
  const createdTo = query.createdTo ? endOf(query.createdTo) : undefined;
  if (createdFrom && createdTo && createdFrom > createdTo) {
    throw invalid('createdFrom is after createdTo.', [{ path: 'createdFrom', message: 'must not be after createdTo' }]);
  }
  const statuses = query.status ? [...new Set(query.status)].sort() : undefined;
  const scope = {
    tenantId: caller.tenantId,
    sandbox: caller.sandbox,
    filters: JSON.stringify([statuses ?? null, createdFrom ?? null, createdTo ?? null]),
  };
  const key = await deps.keys.key('cursor');
  const after = query.cursor ? openCursor(key, scope, query.cursor) : undefined;
  const page = await deps.orders.list(caller.tenantId, {
    sandbox: caller.sandbox,
    ...(statuses ? { statuses } : {}),
    ...(createdFrom ? { createdFrom } : {}),
    ...(createdTo ? { createdTo } : {}),
    limit: query.limit,
    ...(after ? { after } : {}),
  });
  return {
    orders: page.orders.map((o) => toView(o)),
    ...(page.next ? { nextCursor: sealCursor(key, scope, page.next) } : {}),
  };
}

/** A bare date as an upper bound means the whole day. */
function endOf(value: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T23:59:59.999Z` : new Date(value).toISOString();
}
