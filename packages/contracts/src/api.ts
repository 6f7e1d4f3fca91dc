import { z } from 'zod';

/** Request and response bodies of the Clients API (`/v1`). Handlers parse with these; tests validate with them. */

const MiB = 1024 * 1024;
/** Largest model we accept; the engine's own byte cap matches it. */
export const MAX_MODEL_BYTES = 256 * MiB;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD');

/** The model file a client declares before uploading it. */
const modelFileInput = z.strictObject({
  name: z
    .string()
    .min(1)
    .max(200)
    .refine((n) => !/[/\\]/.test(n) && ![...n].some((c) => c.charCodeAt(0) < 0x20), 'must be a plain file name'),
  size: z.number().int().min(1).max(MAX_MODEL_BYTES),
});

export const FINISHES = ['high_polish', 'satin', 'matte', 'hammered'] as const;

export const orderItemInput = z.strictObject({
  alloy: z.string().min(1).max(16).describe('Alloy id, e.g. au750y (18K yellow gold), ag925, pt950'),
  quantity: z.number().int().min(1).max(1000),
  finish: z.enum(FINISHES).optional().describe('Surface finish; high_polish when left out'),
  ringSize: z
    .strictObject({
      system: z.enum(['EU', 'US']).describe('EU: inner circumference in mm (e.g. 54); US: 0–16 in quarter sizes'),
      size: z.number().min(0).max(80),
    })
    .optional()
    .describe('For rings: the size the model was made for, carried to the workshop for QC'),
});

export const createOrderRequest = z
  .strictObject({
    reference: z.string().trim().min(1).max(64).optional().describe("The client's own reference"),
    dueDate: isoDate,
    // One alloy per order until multi-item quoting (one build, one setup, one minimum) is priced as a whole.
    items: z.array(orderItemInput).min(1).max(1),
    file: modelFileInput,
  })
  .meta({ id: 'CreateOrderRequest' });
export type CreateOrderRequest = z.infer<typeof createOrderRequest>;

export const completeUploadRequest = z
  .strictObject({
    parts: z
      .array(z.strictObject({ partNumber: z.number().int().min(1).max(10_000), etag: z.string().min(1).max(128) }))
      .min(1)
      .max(10_000),
  })
  .meta({ id: 'CompleteUploadRequest' });
export type CompleteUploadRequest = z.infer<typeof completeUploadRequest>;

export const uploadPlan = z
  .object({
    fileId: z.string(),
    partSize: z.number().int(),
    expiresAt: z.string(),
    parts: z.array(z.object({ partNumber: z.number().int(), url: z.string().url() })),
    completeUrl: z.string().describe('POST the part ETags here once every part is uploaded'),
  })
  .meta({ id: 'UploadPlan' });

export const uploadStatus = z
  .object({
    fileId: z.string(),
    partSize: z.number().int(),
    expiresAt: z.string().describe('When these part URLs expire; ask again for fresh ones'),
    parts: z.array(
      z.object({
        partNumber: z.number().int(),
        url: z.string().url(),
        uploaded: z.boolean().describe('Already stored: skip it (keep its etag for complete)'),
        etag: z.string().optional(),
      }),
    ),
    completeUrl: z.string(),
  })
  .meta({ id: 'UploadStatus', description: 'Where an interrupted upload stands, with fresh URLs for every part' });
export const uploadStatusResponse = z.object({ upload: uploadStatus }).meta({ id: 'UploadStatusResponse' });

export const quoteLine = z.object({ code: z.string(), label: z.string(), amount: z.number() });

export const quoteView = z
  .object({
    currency: z.string(),
    total: z.number(),
    validUntil: z.string().describe('The metal price is locked until then; a later confirm prices the order again'),
    lines: z.array(quoteLine),
  })
  .meta({ id: 'Quote' });

const defect = z.object({ code: z.string(), message: z.string() });

/** The order lifecycle's states (the transitions live in the domain: order-states.ts). */
export const ORDER_STATUSES = [
  'awaiting_upload',
  'queued',
  'calculating',
  'quoted',
  'rejected',
  'failed',
  'confirmed',
  'in_production',
  'shipped',
  'delivered',
  'cancelled',
] as const;
const orderStatus = z.enum(ORDER_STATUSES);

export const orderView = z
  .object({
    id: z.string(),
    reference: z.string().optional(),
    status: orderStatus,
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
    quote: quoteView.optional(),
    rejection: z
      .object({
        reasons: z.array(z.string()),
        defects: z.array(defect).optional().describe('Machine-readable: the engine code of each finding'),
        canManufactureAnyway: z
          .boolean()
          .describe('True when the model was measured and priced: confirm with manufactureAnyway, or upload a fix'),
      })
      .optional(),
    sandbox: z.boolean().describe('Created with a sandbox key: calculated, never produced or billed'),
    confirmation: z
      .object({ at: z.string(), total: z.number(), currency: z.string(), manufactureAnyway: z.boolean() })
      .optional(),
    cancellation: z.object({ at: z.string(), reason: z.string().optional() }).optional(),
    history: z.array(z.object({ status: orderStatus, at: z.string() })).describe('Every status change, oldest first'),
    tracking: z
      .object({
        estimatedCompletionAt: z.string().describe('Ready to ship, by the planned stage durations'),
        atRisk: z.boolean().describe('The estimate is after the due date'),
        plannedStages: z.array(z.object({ id: z.string(), label: z.string(), plannedHours: z.number() })),
      })
      .optional()
      .describe('Production plan, once the order is confirmed'),
    downloads: z
      .object({
        report: z.string().url().optional().describe('The full JSON report'),
        thumbnail: z.string().url().optional().describe('A shaded PNG render'),
        repairedModel: z
          .string()
          .url()
          .optional()
          .describe('The model after our safe repairs (binary STL), when any were applied: see the report'),
        expiresAt: z.string(),
      })
      .optional()
      .describe('Short-lived links, made for this response'),
    reportUrl: z.string().url().optional().describe('Same as downloads.report (kept for earlier clients)'),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Order' });
export type OrderView = z.infer<typeof orderView>;

export const createOrderResponse = z.object({ order: orderView, upload: uploadPlan }).meta({ id: 'CreatedOrder' });
export const orderResponse = z.object({ order: orderView }).meta({ id: 'OrderResponse' });

const isoInstant = z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'must be an ISO 8601 date or date-time');

/** Query of GET /v1/orders (query strings are strings: numbers and lists are parsed here). */
export const listOrdersQuery = z.strictObject({
  status: z
    .string()
    .optional()
    .describe('Comma-separated statuses, e.g. quoted,rejected')
    .transform((v, ctx) => {
      if (v === undefined) return undefined;
      const list = v.split(',').map((s) => s.trim());
      const bad = list.filter((s) => !orderStatus.safeParse(s).success);
      if (bad.length) ctx.addIssue({ code: 'custom', message: `unknown status ${bad.join(', ')}` });
      return list as z.infer<typeof orderStatus>[];
    }),
  createdFrom: isoInstant.optional().describe('Orders created at or after this instant'),
  createdTo: isoInstant.optional().describe('Orders created at or before this instant'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(2048).optional().describe('nextCursor of the previous page, with the same filters'),
});
export type ListOrdersQuery = z.infer<typeof listOrdersQuery>;

export const orderList = z
  .object({
    orders: z.array(orderView),
    nextCursor: z.string().optional().describe('Absent on the last page'),
  })
  .meta({ id: 'OrderList' });

export const replaceModelRequest = z
  .strictObject({ file: modelFileInput })
  .meta({ id: 'ReplaceModelRequest', description: 'A fixed model for a rejected (or quoted) order' });

export const cancelOrderRequest = z
  .strictObject({ reason: z.string().trim().min(1).max(500).optional() })
  .meta({ id: 'CancelOrderRequest' });

export const confirmOrderRequest = z
  .strictObject({
    expectedTotal: z
      .number()
      .nonnegative()
      .optional()
      .describe('The total you accept; if the price moved, the answer is 409 quote-changed with the new quote'),
    manufactureAnyway: z
      .boolean()
      .optional()
      .describe('Confirm a rejected model that was priced (e.g. walls below the minimum), at your own risk'),
  })
  .meta({ id: 'ConfirmOrderRequest' });
export type ConfirmOrderRequest = z.infer<typeof confirmOrderRequest>;

/** RFC 9457 problem details, with our `errors` extension for field paths. */
export const problem = z
  .looseObject({
    type: z.string().describe('Stable URI per error kind, e.g. https://facet.dev/problems/validation'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional().describe('What went wrong, written for a person'),
    instance: z.string().optional(),
    correlationId: z.string().optional().describe('Quote it when you contact us'),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    previousQuote: quoteView.optional().describe('quote-changed: the quote you saw'),
    quote: quoteView.optional().describe('quote-changed: the quote now in force'),
    changes: z
      .array(z.object({ code: z.string(), before: z.number(), after: z.number() }))
      .optional()
      .describe('quote-changed: the lines that moved'),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details; extension members depend on the type' });
export type Problem = z.infer<typeof problem>;

export const usageView = z
  .object({
    key: z.object({ kind: z.enum(['live', 'sandbox']) }),
    plan: z.object({
      rateLimitPerSecond: z.number().describe('Steady requests per second'),
      burstLimit: z.number().describe('Requests allowed at once above the steady rate'),
      quotaPerDay: z.number().describe('Requests per UTC day'),
    }),
    today: z.object({
      date: z.string().describe('The UTC day counted'),
      used: z.number().int(),
      remaining: z.number().int(),
      resetsAt: z.string().describe('When the daily quota starts again'),
    }),
  })
  .meta({ id: 'Usage', description: "This API key's usage plan and today's use (a 429 carries Retry-After)" });
export type UsageView = z.infer<typeof usageView>;
