import { columnOf, projectCard, withFlags } from '@facet/domain/board/card';
import { eventFor } from '@facet/domain/order';
import { applyOrderAction } from '@facet/domain/production/order-actions';
import { routeHandler } from '../shared/api/bundle.ts';
import { deps } from './deps.ts';

/**
 * POST /ops/orders/{orderId}/actions — one production action (start, advance, hold, resume, weights, ship,
 * deliver, re-run): one transition with one event, conditional on the version the operator saw (409 otherwise).
 * Answers the order's new card at once (null once it leaves the board: delivered, cancelled); the board's
 * projection follows from the event.
 */
export const handler = routeHandler('OperatorsOrderAction', async ({ operator, params, body }) => {
  const order = await applyOrderAction(deps, operator, params.orderId, body.action, body.expectedVersion);
  if (!columnOf(order)) return { status: 200, body: { status: order.status, card: null } };
  const company = (await deps.tenants.getTenant(order.tenantId))?.name ?? order.tenantId;
  const event = (await deps.orders.events(order.tenantId, order.id)).at(-1) ?? eventFor(order, order.updatedAt);
  const card = withFlags(projectCard(order, company, event), deps.clock());
  return { status: 200, body: { status: order.status, card } };
});
