import { z } from 'zod';

/** Domain events on the order-events topic. `type` is also a message attribute, for subscription filters. */
export const orderEvent = z.object({
  id: z.string().describe('Unique per event; consumers dedupe on it'),
  type: z.string(),
  version: z.literal(1),
  occurredAt: z.string(),
  tenantId: z.string(),
  orderId: z.string(),
  correlationId: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export type OrderEvent = z.infer<typeof orderEvent>;

/** A calculation job on the jobs queue. */
export const calculationJob = z.object({
  version: z.literal(1),
  tenantId: z.string().min(1),
  orderId: z.string().min(1),
  correlationId: z.string().min(1),
});
export type CalculationJob = z.infer<typeof calculationJob>;
