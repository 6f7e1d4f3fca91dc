import type { OrderView } from '@facet/contracts';
import { notFound } from '../errors.ts';
import type { Order } from '../order.ts';
import type { OrderDeps } from './deps.ts';

/** Reads one order of the tenant; another tenant's id is indistinguishable from an unknown one. */
export async function getOrder(deps: OrderDeps, tenantId: string, orderId: string): Promise<OrderView> {
  const order = await deps.orders.get(tenantId, orderId);
  if (!order) throw notFound('The order');
  const reportUrl = order.result
    ? await deps.blobs.presignGet(order.result.reportKey, deps.presignTtlSeconds)
    : undefined;
  return toView(order, reportUrl);
}

export function toView(order: Order, reportUrl?: string): OrderView {
  const { result } = order;
  return {
    id: order.id,
    ...(order.reference ? { reference: order.reference } : {}),
    status: order.status,
    dueDate: order.dueDate,
    items: [...order.items],
    file: { id: order.file.id, name: order.file.name, size: order.file.size },
    ...(order.status === 'calculating' && order.progress ? { progress: order.progress } : {}),
    ...(result?.metrics ? { metrics: result.metrics } : {}),
    ...(result?.quote ? { quote: { ...result.quote, lines: [...result.quote.lines] } } : {}),
    ...(result?.rejectionReasons ? { rejection: { reasons: [...result.rejectionReasons] } } : {}),
    ...(order.status === 'failed' && order.failureReason ? { rejection: { reasons: [order.failureReason] } } : {}),
    ...(reportUrl ? { reportUrl } : {}),
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
  };
}
