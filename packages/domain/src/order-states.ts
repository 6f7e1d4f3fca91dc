import { ORDER_STATUSES } from '@facet/contracts/api';
import { conflict } from './errors.ts';

export { ORDER_STATUSES };

/**
 * The order lifecycle (DESIGN.md §5) as one table. Every status change goes through `assertTransition`, and the
 * stores make it a conditional write on the status read, so two writers can never both move the same order.
 */
export type OrderStatus = (typeof ORDER_STATUSES)[number];

const NEXT: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  awaiting_upload: ['queued', 'cancelled'],
  queued: ['calculating', 'rejected', 'failed', 'cancelled'],
  // `calculating → queued` is a released job (worker stopped before finishing).
  calculating: ['quoted', 'rejected', 'failed', 'queued', 'cancelled'],
  // `→ awaiting_upload`: the client replaces the model (a fix for a rejected one, or a change before confirming).
  quoted: ['confirmed', 'queued', 'awaiting_upload', 'cancelled'],
  // `rejected → confirmed`: the client chose to manufacture a flagged model anyway (at their risk, with a quote).
  rejected: ['queued', 'confirmed', 'awaiting_upload', 'cancelled'],
  failed: ['queued', 'awaiting_upload', 'cancelled'],
  confirmed: ['in_production', 'cancelled'],
  in_production: ['shipped'],
  shipped: ['delivered'],
  delivered: [],
  cancelled: [],
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return NEXT[from].includes(to);
}

export function assertTransition(from: OrderStatus, to: OrderStatus): void {
  if (!canTransition(from, to))
    throw conflict(`An order that is ${from.replace('_', ' ')} cannot become ${to.replace('_', ' ')}.`);
}

/** The domain event each transition emits (one per transition). */
export const EVENT_FOR_STATUS: Readonly<Record<OrderStatus, string>> = {
  awaiting_upload: 'order.created',
  queued: 'order.queued',
  calculating: 'order.calculating',
  quoted: 'order.calculated',
  rejected: 'order.rejected',
  failed: 'order.failed',
  confirmed: 'order.confirmed',
  in_production: 'order.in-production',
  shipped: 'order.shipped',
  delivered: 'order.delivered',
  cancelled: 'order.cancelled',
};

/** A new model for an existing order: back to `awaiting_upload`, told apart from `order.created`. */
export const MODEL_REPLACED_EVENT = 'order.model-replaced';

/** Changes that keep the status: production moving on, held and resumed (clients see them). */
export const STAGE_CHANGED_EVENT = 'order.stage-changed';
export const HELD_EVENT = 'order.held';
export const RESUMED_EVENT = 'order.resumed';

/** Internal events: they feed the board and the audit log, never a company's webhooks. */
export const PROGRESS_EVENT = 'order.progress';
export const WEIGHED_EVENT = 'order.weighed';
export const ADDED_TO_TREE_EVENT = 'order.added-to-tree';
export const INTERNAL_EVENT_TYPES: readonly string[] = [PROGRESS_EVENT, WEIGHED_EVENT, ADDED_TO_TREE_EVENT];

/** Every event type a company sees (what webhooks can subscribe to). */
export const ORDER_EVENT_TYPES: readonly string[] = [
  ...new Set(Object.values(EVENT_FOR_STATUS)),
  MODEL_REPLACED_EVENT,
  STAGE_CHANGED_EVENT,
  HELD_EVENT,
  RESUMED_EVENT,
];
