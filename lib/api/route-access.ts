import type { DataNeeds } from '../data/data-access.ts';
import type { RouteFn } from '../wiring-types.ts';

export interface RouteAccess {
  readonly data: DataNeeds;
  /** Sends calculation jobs. */
  readonly jobs: boolean;
  /** Publishes order events. */
  readonly events: boolean;
}

/**
 * Least privilege per route handler, one entry per `fn` in the wiring's routes (the mapped type makes a new route
 * a compile error until its access is decided here).
 */
export const routeAccess: { readonly [F in RouteFn]: RouteAccess } = {
  // Writes the order and idempotency record, starts the multipart upload and signs part URLs, emits order.created.
  CreateOrder: { data: { table: 'readWrite', models: 'write' }, jobs: false, events: true },
  // Reads the order, signs a short-lived link to the report.
  GetOrder: { data: { table: 'read', models: 'read' }, jobs: false, events: false },
  // Completes the upload, sniffs the file's first bytes, queues the job, emits the transition event.
  CompleteUpload: { data: { table: 'readWrite', models: 'readWrite' }, jobs: true, events: true },
};
