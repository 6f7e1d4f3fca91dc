import { isDomainError } from '@facet/domain/errors';
import { applyOrderAction } from '@facet/domain/production/order-actions';
import { routeHandler } from '../shared/api/bundle.ts';
import { deps } from './deps.ts';

/**
 * POST /ops/actions — advance (or start) many orders from the table view: each its own transition and event, one
 * after the other, so one that was changed meanwhile (or is on hold) stays where it is and says why.
 */
export const handler = routeHandler('OperatorsBulkAction', async ({ operator, body }) => {
  const results = [];
  for (const { orderId, expectedVersion } of body.orders) {
    try {
      const order = await applyOrderAction(deps, operator, orderId, body.action, expectedVersion);
      results.push({ orderId, ok: true, version: order.version });
    } catch (error) {
      if (!isDomainError(error)) throw error;
      results.push({ orderId, ok: false, problem: error.message });
    }
  }
  return { status: 200, body: { results } };
});
