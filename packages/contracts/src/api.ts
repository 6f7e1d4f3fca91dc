import { z } from 'zod';

/** Request and response bodies of the Clients API (`/v1`). Handlers parse with these; tests validate with them. */

const MiB = 1024 * 1024;
/** Largest model we accept; the engine's own byte cap matches it. */
export const MAX_MODEL_BYTES = 256 * MiB;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD');

export const orderItemInput = z.strictObject({
  alloy: z.string().min(1).max(16).describe('Alloy id, e.g. au750y (18K yellow gold), ag925, pt950'),
  quantity: z.number().int().min(1).max(1000),
});

export const createOrderRequest = z.strictObject({
  reference: z.string().trim().min(1).max(64).optional().describe("The client's own reference"),
  dueDate: isoDate,
  // One alloy per order until multi-item quoting (one build, one setup, one minimum) is priced as a whole.
  items: z.array(orderItemInput).min(1).max(1),
  file: z.strictObject({
    name: z
      .string()
      .min(1)
      .max(200)
      .refine((n) => !/[/\\]/.test(n) && ![...n].some((c) => c.charCodeAt(0) < 0x20), 'must be a plain file name'),
    size: z.number().int().min(1).max(MAX_MODEL_BYTES),
  }),
});
export type CreateOrderRequest = z.infer<typeof createOrderRequest>;

export const completeUploadRequest = z.strictObject({
  parts: z
    .array(z.strictObject({ partNumber: z.number().int().min(1).max(10_000), etag: z.string().min(1).max(128) }))
    .min(1)
    .max(10_000),
});
export type CompleteUploadRequest = z.infer<typeof completeUploadRequest>;

export const uploadPlan = z.object({
  fileId: z.string(),
  partSize: z.number().int(),
  expiresAt: z.string(),
  parts: z.array(z.object({ partNumber: z.number().int(), url: z.string().url() })),
  completeUrl: z.string().describe('POST the part ETags here once every part is uploaded'),
});

export const quoteLine = z.object({ code: z.string(), label: z.string(), amount: z.number() });

export const orderView = z.object({
  id: z.string(),
  reference: z.string().optional(),
  status: z.string(),
  dueDate: z.string(),
  items: z.array(orderItemInput),
  file: z.object({ id: z.string(), name: z.string(), size: z.number() }),
  progress: z.object({ stage: z.string(), percent: z.number() }).optional(),
  metrics: z
    .object({
      volumeMm3: z.number(),
      areaMm2: z.number(),
      boundingBoxMm: z.tuple([z.number(), z.number(), z.number()]),
      triangles: z.number(),
      weightGrams: z.number().describe('Metal weight for one piece of the first item, sprue included'),
    })
    .optional(),
  quote: z
    .object({ currency: z.string(), total: z.number(), validUntil: z.string(), lines: z.array(quoteLine) })
    .optional(),
  rejection: z.object({ reasons: z.array(z.string()) }).optional(),
  reportUrl: z.string().url().optional().describe('Short-lived link to the full JSON report'),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type OrderView = z.infer<typeof orderView>;

export const createOrderResponse = z.object({ order: orderView, upload: uploadPlan });
export const orderResponse = z.object({ order: orderView });

/** RFC 9457 problem details, with our `errors` extension for field paths. */
export const problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  correlationId: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type Problem = z.infer<typeof problem>;
