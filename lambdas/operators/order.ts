import { operatorOrder } from '@facet/domain/production/order-detail';
import { routeHandler } from '../shared/api/bundle.ts';
import { deps } from './deps.ts';

/** GET /ops/orders/{orderId} — the order with production, viewer links and its audit log (any company's). */
export const handler = routeHandler('OperatorsOrder', async ({ params }) => ({
  status: 200,
  headers: { 'cache-control': 'no-store' },
  body: await operatorOrder(deps, params.orderId),
}));
