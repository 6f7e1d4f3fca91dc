import type { EventActor, OrderEvent } from '@facet/contracts';
import type { BoardCard, BoardColumnId } from '@facet/contracts/operators';
import type { Order } from '../order.ts';
import { type ScheduleInput, scheduleFlags } from '../production/schedule.ts';
import { PRODUCTION_STAGES } from '../production-plan.ts';

/** What the projection stores per order: the card without the flags that depend on the clock, and their inputs. */
export interface ProjectedCard {
  readonly card: Omit<BoardCard, 'overdue' | 'atRisk' | 'rush'>;
  readonly schedule: ScheduleInput;
  /** Where the thumbnail is, for presigning on request (never handed out as is). */
  readonly thumbnailKey?: string;
  /**
   * The order version of the event the card was projected from (`card.version` is the order's): of two cards of one
   * order version, the one from the later event wins, so "last change" names the latest event.
   */
  readonly eventVersion: number;
}

/** The order version an event was written with (its id is `{orderId}.v{version}`). */
export const versionOf = (event: OrderEvent) => Number(/\.v(\d+)$/.exec(event.id)?.[1] ?? 0);

/** The column an order stands in; undefined once it has left the board (delivered, cancelled). */
export function columnOf(order: Order): BoardColumnId | undefined {
  switch (order.status) {
    case 'awaiting_upload':
    case 'queued':
    case 'calculating':
      return 'intake';
    case 'quoted':
      return 'quoted';
    case 'rejected':
    case 'failed':
      return 'attention';
    case 'confirmed':
      return 'confirmed';
    case 'in_production':
      return order.production?.stage ?? 'print';
    case 'shipped':
      return 'shipped';
    default:
      return undefined;
  }
}

const stageLabel = (id: string) => PRODUCTION_STAGES.find((s) => s.id === id)?.label ?? id;

/** What happened, in the words the board and the audit log show, from what the event itself says. */
export function describeEvent(event: OrderEvent): string {
  const data = event.data as {
    stage?: string;
    progress?: { stage: string; percent: number };
    holdReason?: string;
    weighed?: { point: string; gramsIn: number; gramsOut: number };
    treeId?: string;
    shipment?: { carrier: string; trackingNumber: string };
  };
  switch (event.type) {
    case 'order.created':
      return 'created, awaiting the model';
    case 'order.model-replaced':
      return 'a new model is being uploaded';
    case 'order.queued':
      return 'queued for calculation';
    case 'order.calculating':
      return 'calculation started';
    case 'order.progress':
      return `calculating: ${data.progress?.stage ?? ''} ${data.progress?.percent ?? 0} %`;
    case 'order.calculated':
      return 'quoted';
    case 'order.rejected':
      return 'rejected by the checks';
    case 'order.failed':
      return 'the calculation failed';
    case 'order.confirmed':
      return 'confirmed by the client';
    case 'order.in-production':
      return 'production started';
    case 'order.stage-changed':
      return `moved to ${stageLabel(data.stage ?? '')}`;
    case 'order.held':
      return `put on hold: ${data.holdReason ?? ''}`;
    case 'order.resumed':
      return 'resumed';
    case 'order.weighed': {
      const w = data.weighed;
      return w ? `metal weighed at ${w.point}: ${w.gramsIn} g in, ${w.gramsOut} g out` : 'metal weighed';
    }
    case 'order.added-to-tree':
      return `added to casting tree ${data.treeId ?? ''}`;
    case 'order.shipped':
      return data.shipment ? `shipped with ${data.shipment.carrier}, ${data.shipment.trackingNumber}` : 'shipped';
    case 'order.delivered':
      return 'delivered';
    case 'order.cancelled':
      return 'cancelled';
    default:
      return event.type;
  }
}

/** When the order entered its column: the stage start in production, else its last status change. */
function since(order: Order): string {
  if (order.status === 'in_production' && order.production) return order.production.stageStartedAt;
  return order.history.at(-1)?.at ?? order.updatedAt;
}

/** The card of an order as of `event` (the write that made this version), for the given company name. */
export function projectCard(order: Order, company: string, event: OrderEvent): ProjectedCard {
  const item = order.items[0];
  const column = columnOf(order);
  if (!item || !column) throw new Error(`order ${order.id} has no card (status ${order.status})`);
  const production = order.status === 'in_production' ? order.production : undefined;
  const reasons =
    order.status === 'failed' && order.failureReason
      ? [order.failureReason]
      : order.status === 'rejected'
        ? [...(order.result?.rejectionReasons ?? [])]
        : undefined;
  const by: EventActor | undefined = event.actor;
  return {
    card: {
      orderId: order.id,
      tenantId: order.tenantId,
      company,
      ...(order.reference ? { reference: order.reference } : {}),
      status: order.status,
      column,
      version: order.version,
      ...(production ? { stage: production.stage } : {}),
      since: since(order),
      ...(order.status === 'calculating' && order.progress ? { progress: order.progress } : {}),
      alloy: item.alloy,
      quantity: item.quantity,
      ...(item.finish ? { finish: item.finish } : {}),
      ...(item.ringSize ? { ringSize: item.ringSize } : {}),
      dueDate: order.dueDate,
      ...(production?.hold ? { hold: { reason: production.hold.reason, at: production.hold.at } } : {}),
      ...(reasons?.length ? { reasons } : {}),
      ...(order.production?.treeId ? { treeId: order.production.treeId } : {}),
      hasThumbnail: Boolean(order.result?.thumbnailKey),
      ...(order.result?.metrics ? { weightGrams: order.result.metrics.weightGrams } : {}),
      lastChange: { at: event.occurredAt, what: describeEvent(event), ...(by ? { by } : {}) },
    },
    schedule: {
      dueDate: order.dueDate,
      status: order.status,
      ...(production ? { stage: production.stage, stageStartedAt: production.stageStartedAt } : {}),
      ...(order.confirmation ? { confirmedAt: order.confirmation.at } : {}),
    },
    ...(order.result?.thumbnailKey ? { thumbnailKey: order.result.thumbnailKey } : {}),
    eventVersion: versionOf(event),
  };
}

/** The card as served: the clock-dependent flags computed now (a card never goes stale on the board). */
export function withFlags(projected: ProjectedCard, now: Date): BoardCard {
  return { ...projected.card, ...scheduleFlags(projected.schedule, now) };
}
