import { z } from 'zod';

/** Request and response bodies of the Clients API (`/v1`). Handlers parse with these; tests validate with them. */

const MiB = 1024 * 1024;
/** Largest model we accept; the engine's own byte cap matches it. */
export const MAX_MODEL_BYTES = 256 * MiB;

/** A real calendar day as YYYY-MM-DD (2030-02-31 is refused, not rolled over into March). */
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine((v) => {
    const d = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v);
  }, 'is not a calendar date')
  .meta({ format: 'date' });

/** Unpaired UTF-16 surrogates (not text: they cannot be stored or shown) and control characters. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Text a person typed: no control characters (NUL, newlines…) and no broken Unicode. */
export const plainText = (max: number) =>
  z
    .string()
    .max(max)
    .refine((v) => !CONTROL.test(v), 'must not contain control characters')
    .refine((v) => !LONE_SURROGATE.test(v), 'must be valid Unicode text');

/** The model file a client declares before uploading it. */
const modelFileInput = z.strictObject({
  name: plainText(200)
    .min(1)
    .refine((n) => !/[/\\]/.test(n) && n !== '.' && n !== '..', 'must be a plain file name')
    .describe('A plain file name: 1–200 characters, no / or \\, no control characters, valid Unicode'),
  size: z
    .number()
    .int()
    .min(1)
    .max(MAX_MODEL_BYTES)
    .describe('Bytes; storage accepts exactly this many (each part is pinned to its size in the upload plan)'),
});

export const FINISHES = ['high_polish', 'satin', 'matte', 'hammered'] as const;

/** The casting alloys we quote (densities, minimum walls and sources: GET /v1/reference). */
export const ALLOY_IDS = [
  'au375y',
  'au375w',
  'au585y',
  'au585w',
  'au585r',
  'au750y',
  'au750w',
  'au750r',
  'ag925',
  'pt950',
  'pd950',
  'brass',
  'bronze',
] as const;

export const orderItemInput = z.strictObject({
  alloy: z
    .enum(ALLOY_IDS)
    .describe('Alloy id, e.g. au750y (18K yellow gold), ag925, pt950; densities and rules: GET /v1/reference'),
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
    reference: plainText(64).trim().min(1).optional().describe("The client's own reference"),
    dueDate: isoDate.describe('The day the client needs the pieces (YYYY-MM-DD, today or later)'),
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
    partSize: z
      .number()
      .int()
      .describe(
        'Bytes per part: part n holds bytes [(n−1)·partSize, n·partSize) of the file; every part but the last is exactly partSize, the last holds the rest. A part of another length is refused (its URL is signed for its length; complete checks the stored sizes).',
      ),
    expiresAt: z.string(),
    parts: z.array(z.object({ partNumber: z.number().int(), url: z.string().url() })),
    completeUrl: z
      .string()
      .describe(
        "A path under the API (`/v1/orders/{orderId}/files/{fileId}/complete`): POST `{ parts: [{ partNumber, etag }] }` to it with your API key once every part is uploaded, the ETag exactly as S3 answered the part's PUT",
      ),
  })
  .meta({ id: 'UploadPlan' });

export const uploadStatus = z
  .object({
    fileId: z.string(),
    partSize: z
      .number()
      .int()
      .describe(
        'Bytes per part: part n holds bytes [(n−1)·partSize, n·partSize) of the file; every part but the last is exactly partSize, the last holds the rest. A part of another length is refused (its URL is signed for its length; complete checks the stored sizes).',
      ),
    expiresAt: z.string().describe('When these part URLs expire; ask again for fresh ones'),
    parts: z.array(
      z.object({
        partNumber: z.number().int(),
        url: z.string().url(),
        uploaded: z.boolean().describe('Already stored: skip it (keep its etag for complete)'),
        etag: z.string().optional(),
      }),
    ),
    completeUrl: z.string().describe('The same path as in the upload plan'),
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
        weightGrams: z
          .number()
          .describe(
            'Metal weight in grams for one piece of the first item: volume × the alloy density, plus the sprue allowance (a share of the metal, published in GET /v1/reference)',
          ),
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
        currentStage: z
          .object({
            id: z.string(),
            label: z.string(),
            since: z.string(),
            onHold: z.boolean().describe('Production of the order is paused (order.held tells why)'),
          })
          .optional()
          .describe('Where the order is in the workshop, once production has started'),
        shipment: z
          .object({ carrier: z.string(), trackingNumber: z.string(), at: z.string() })
          .optional()
          .describe('Once shipped'),
      })
      .optional()
      .describe('Production plan, once the order is confirmed; the real stage once production has started'),
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

const isoInstant = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/,
    'must be YYYY-MM-DD or an ISO 8601 date-time with a zone',
  )
  .refine((v) => !Number.isNaN(Date.parse(v)), 'is not a real date')
  .describe('YYYY-MM-DD (midnight UTC) or an ISO 8601 date-time with Z or an offset, e.g. 2030-01-31T12:00:00Z');

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
  .strictObject({ reason: plainText(500).trim().min(1).optional() })
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

/** GET /v1/reference: the facts the quotes and checks are made from, so integrators need no source files. */
export const referenceView = z
  .object({
    alloys: z.array(
      z.object({
        id: z.enum(ALLOY_IDS),
        name: z.string(),
        densityGPerCm3: z.number().describe('Weight = volume (cm³) × density'),
        densitySource: z.string().describe('Where the density comes from (an estimate or assumption says so)'),
        minimumWallMm: z.number().describe('Thinner walls are flagged for review (rejected below rules.rejectBelowMm)'),
      }),
    ),
    rules: z.object({
      sprueAllowance: z.number().describe('Extra metal for the sprue, a fraction of the net weight (0.1 = 10 %)'),
      rejectBelowMm: z.number().describe('Walls thinner than this over rejectMinAreaMm2 cannot be printed and cast'),
      rejectMinAreaMm2: z.number(),
      reviewSolidOverMm: z.number().describe('Solid sections thicker than this are flagged for review'),
    }),
    finishes: z.array(z.enum(FINISHES)),
    formats: z.array(z.string()).describe('Model formats read, recognized by content (not by the file name)'),
    upload: z.object({
      maxModelBytes: z.number().int(),
      partSizeBytes: z
        .string()
        .describe('How the part size is chosen: 8 MiB, larger only for files over 80,000 MiB (10,000 parts at most)'),
      rules: z.string(),
    }),
    reportSchema: z.looseObject({}).describe('JSON Schema of the report behind downloads.report'),
  })
  .meta({
    id: 'Reference',
    description: 'Alloys, casting rules, accepted formats, upload rules and the report schema',
  });
export type ReferenceView = z.infer<typeof referenceView>;
