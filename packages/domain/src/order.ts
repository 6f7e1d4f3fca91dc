import type { EventActor, OrderEvent, ProductionStage, WeighingPoint } from '@facet/contracts';
import type { AlloyId } from './alloys.ts';
import {
  ADDED_TO_TREE_EVENT,
  assertTransition,
  EVENT_FOR_STATUS,
  HELD_EVENT,
  type OrderStatus,
  PROGRESS_EVENT,
  WEIGHED_EVENT,
} from './order-states.ts';
import type { QuoteInput } from './pricing.ts';

export interface OrderItem {
  readonly alloy: AlloyId;
  readonly quantity: number;
  readonly finish?: 'high_polish' | 'satin' | 'matte' | 'hammered';
  readonly ringSize?: { readonly system: 'EU' | 'US'; readonly size: number };
}

export interface OrderFile {
  readonly id: string;
  readonly name: string;
  readonly size: number;
  /** Object key in the models bucket, under the tenant's and order's prefix. */
  readonly key: string;
  readonly uploadId: string;
  readonly partSize: number;
}

export interface OrderMetrics {
  readonly volumeMm3: number;
  readonly areaMm2: number;
  readonly boundingBoxMm: [number, number, number];
  readonly triangles: number;
  readonly weightGrams: number;
}

export interface OrderQuote {
  readonly currency: string;
  readonly total: number;
  readonly validUntil: string;
  readonly lines: readonly { code: string; label: string; amount: number }[];
}

export interface OrderResult {
  readonly reportKey: string;
  readonly thumbnailKey?: string;
  /** The mesh after safe repairs (binary STL), when any were applied. */
  readonly repairedKey?: string;
  readonly metrics?: OrderMetrics;
  readonly modelFormat?: 'stl-binary' | 'stl-ascii' | 'obj' | '3mf';
  readonly quote?: OrderQuote;
  /** What the quote was priced from, so an expired quote can be priced again without recalculating. */
  readonly pricing?: QuoteInput;
  readonly rejectionReasons?: readonly string[];
  /** Machine-readable reasons (engine codes) behind a rejection or a review. */
  readonly defects?: readonly { readonly code: string; readonly message: string }[];
}

export interface Order {
  readonly tenantId: string;
  readonly id: string;
  readonly reference?: string;
  readonly status: OrderStatus;
  /** Bumped by every write; stores write conditionally on it (optimistic locking). */
  readonly version: number;
  readonly dueDate: string;
  readonly items: readonly OrderItem[];
  readonly file: OrderFile;
  readonly progress?: { readonly stage: string; readonly percent: number };
  /** Who is calculating the order, until when (epoch ms): a duplicate job delivery leaves a live lease alone. */
  readonly lease?: { readonly owner: string; readonly expiresAt: number };
  readonly result?: OrderResult;
  readonly failureReason?: string;
  /** Created with a sandbox key: calculated like any order, never produced or billed, invisible to live keys. */
  readonly sandbox?: boolean;
  /** The quote the client accepted; `manufactureAnyway` when they accepted a model we flagged. */
  readonly confirmation?: {
    readonly at: string;
    readonly total: number;
    readonly currency: string;
    readonly manufactureAnyway: boolean;
  };
  readonly cancellation?: { readonly at: string; readonly reason?: string };
  /** Where the order is in the workshop, once in production (kept after shipping for the record). */
  readonly production?: OrderProduction;
  readonly history: readonly { readonly status: OrderStatus; readonly at: string }[];
  readonly correlationId: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface OrderProduction {
  readonly stage: ProductionStage;
  readonly stageStartedAt: string;
  readonly hold?: { readonly reason: string; readonly at: string; readonly by?: string };
  readonly weights?: readonly {
    readonly point: WeighingPoint;
    readonly gramsIn: number;
    readonly gramsOut: number;
    readonly at: string;
  }[];
  /** The casting tree the order is cast in (its tree and cast stages move with the tree). */
  readonly treeId?: string;
  readonly shipment?: { readonly carrier: string; readonly trackingNumber: string; readonly at: string };
}

export type OrderPatch = Partial<
  Pick<
    Order,
    'progress' | 'lease' | 'result' | 'failureReason' | 'confirmation' | 'cancellation' | 'file' | 'production'
  >
>;

/**
 * Moves an order to `to`, returning the next version and the one event the transition emits. The event id is
 * derived from the order and its new version, so a republished event carries the same id and consumers can dedupe;
 * stores write the order and its event in one transaction (OrderStore).
 */
export function transition(
  order: Order,
  to: OrderStatus,
  patch: OrderPatch,
  now: Date,
  eventType?: string,
  actor?: EventActor,
): { order: Order; event: OrderEvent } {
  assertTransition(order.status, to);
  const at = now.toISOString();
  const next: Order = {
    ...order,
    ...patch,
    status: to,
    version: order.version + 1,
    history: [...order.history, { status: to, at }],
    updatedAt: at,
  };
  return { order: next, event: eventFor(next, at, eventType, actor) };
}

/**
 * A change that keeps the status (the next production stage, a hold, a weighing, progress): a new version and its
 * one event, like a transition.
 */
export function change(
  order: Order,
  patch: OrderPatch,
  now: Date,
  eventType: string,
  actor?: EventActor,
): { order: Order; event: OrderEvent } {
  const at = now.toISOString();
  const next: Order = { ...order, ...patch, version: order.version + 1, updatedAt: at };
  return { order: next, event: eventFor(next, at, eventType, actor) };
}

/** What an event says beyond the status, for those who follow it (webhooks, the board, the audit log). */
function eventDetail(order: Order, type: string): Record<string, unknown> {
  const production = order.production;
  if (type === HELD_EVENT && production?.hold) return { holdReason: production.hold.reason };
  if (type === WEIGHED_EVENT && production?.weights?.length) {
    const { point, gramsIn, gramsOut } = production.weights[production.weights.length - 1] ?? {};
    return { weighed: { point, gramsIn, gramsOut } };
  }
  if (type === ADDED_TO_TREE_EVENT && production?.treeId) return { treeId: production.treeId };
  if (order.status === 'shipped' && type === EVENT_FOR_STATUS.shipped && production?.shipment) {
    return { shipment: { carrier: production.shipment.carrier, trackingNumber: production.shipment.trackingNumber } };
  }
  return {};
}

export function eventFor(
  order: Order,
  at: string,
  type: string = EVENT_FOR_STATUS[order.status],
  actor?: EventActor,
): OrderEvent {
  return {
    id: `${order.id}.v${order.version}`,
    type,
    version: 1,
    occurredAt: at,
    tenantId: order.tenantId,
    orderId: order.id,
    correlationId: order.correlationId,
    ...(actor ? { actor } : {}),
    data: {
      status: order.status,
      ...(order.reference ? { reference: order.reference } : {}),
      ...(order.sandbox ? { sandbox: true } : {}),
      ...(order.status === 'in_production' && order.production ? { stage: order.production.stage } : {}),
      ...(type === PROGRESS_EVENT && order.progress ? { progress: order.progress } : {}),
      ...eventDetail(order, type),
    },
  };
}
