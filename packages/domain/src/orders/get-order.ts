import type { OrderView } from '@facet/contracts';
import type { Order } from '../order.ts';
import { estimateCompletion, PRODUCTION_STAGES } from '../production-plan.ts';
import type { Caller, OrderDeps } from './deps.ts';
import { ownOrder } from './own-order.ts';

/** Reads one order of the caller, with short-lived download links made for this answer. */
export async function getOrder(
  deps: Pick<OrderDeps, 'orders' | 'blobs' | 'presignTtlSeconds' | 'clock'>,
  caller: Caller,
  orderId: string,
): Promise<OrderView> {
  const order = await ownOrder(deps, caller, orderId);
  const result = order.result;
  if (!result) return toView(order);
  const ttl = deps.presignTtlSeconds;
  const [report, thumbnail, repairedModel] = await Promise.all([
    deps.blobs.presignGet(result.reportKey, ttl),
    result.thumbnailKey ? deps.blobs.presignGet(result.thumbnailKey, ttl) : undefined,
    result.repairedKey ? deps.blobs.presignGet(result.repairedKey, ttl) : undefined,
  ]);
  const expiresAt = new Date(deps.clock().getTime() + ttl * 1000).toISOString();
  return toView(order, {
    report,
    ...(thumbnail ? { thumbnail } : {}),
    ...(repairedModel ? { repairedModel } : {}),
    expiresAt,
  });
}

export function toView(order: Order, downloads?: NonNullable<OrderView['downloads']>): OrderView {
  const { result } = order;
  const rejection =
    order.status === 'failed' && order.failureReason
      ? { reasons: [order.failureReason], canManufactureAnyway: false }
      : result?.rejectionReasons
        ? {
            reasons: [...result.rejectionReasons],
            ...(result.defects ? { defects: result.defects.map((d) => ({ ...d })) } : {}),
            canManufactureAnyway: order.status === 'rejected' && Boolean(result.quote && result.pricing),
          }
        : undefined;
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
    ...(rejection ? { rejection } : {}),
    sandbox: Boolean(order.sandbox),
    ...(order.confirmation ? { confirmation: { ...order.confirmation } } : {}),
    ...(order.cancellation ? { cancellation: { ...order.cancellation } } : {}),
    history: order.history.map((h) => ({ ...h })),
    ...(tracking(order) ?? {}),
    ...(downloads ? { downloads, reportUrl: downloads.report } : {}),
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
  };
}

/**
 * Estimated completion once confirmed — from confirmation by the plan, then from the start of the real current
 * stage as the workshop records it — and whether it misses the due date (end of that day, UTC).
 */
function tracking(order: Order): Pick<OrderView, 'tracking'> | undefined {
  if (!order.confirmation || order.status === 'cancelled') return undefined;
  const production = order.production;
  const estimated = production
    ? estimateCompletion(new Date(production.stageStartedAt), production.stage)
    : estimateCompletion(new Date(order.confirmation.at));
  const due = Date.parse(`${order.dueDate}T23:59:59.999Z`);
  const stage = production ? PRODUCTION_STAGES.find((s) => s.id === production.stage) : undefined;
  return {
    tracking: {
      estimatedCompletionAt: estimated.toISOString(),
      atRisk: order.status === 'in_production' || order.status === 'confirmed' ? estimated.getTime() > due : false,
      plannedStages: PRODUCTION_STAGES.map((s) => ({ id: s.id, label: s.label, plannedHours: s.plannedHours })),
      ...(stage && production && order.status === 'in_production'
        ? {
            currentStage: {
              id: stage.id,
              label: stage.label,
              since: production.stageStartedAt,
              onHold: Boolean(production.hold),
            },
          }
        : {}),
      ...(production?.shipment ? { shipment: { ...production.shipment } } : {}),
    },
  };
}
