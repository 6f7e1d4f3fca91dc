import { z } from 'zod';

/** Who caused an event: a company's key, an operator, or the platform itself (a worker). */
export const eventActor = z.object({
  kind: z.enum(['client', 'operator', 'system']),
  id: z.string().optional(),
  email: z.string().optional(),
  ip: z.string().optional(),
});
export type EventActor = z.infer<typeof eventActor>;

/** Domain events on the order-events topic. `type` is also a message attribute, for subscription filters. */
export const orderEvent = z.object({
  id: z.string().describe('Unique per event; consumers dedupe on it'),
  type: z.string(),
  version: z.literal(1),
  occurredAt: z.string(),
  tenantId: z.string(),
  orderId: z.string(),
  correlationId: z.string(),
  /** Who did it (the audit log); absent on events stored before actors were recorded. */
  actor: eventActor.optional(),
  data: z.record(z.string(), z.unknown()),
});
export type OrderEvent = z.infer<typeof orderEvent>;

/**
 * A calculation job: an `order.queued` event, delivered raw from the topic to the jobs queue (the subscription
 * filters on the type). The worker needs only which order; it reads the order itself.
 */
export const calculationJob = orderEvent
  .pick({ tenantId: true, orderId: true, correlationId: true })
  .extend({ type: z.literal('order.queued') });
/** What the worker needs of the job (tests build one without the event's type). */
export type CalculationJob = Omit<z.infer<typeof calculationJob>, 'type'>;
