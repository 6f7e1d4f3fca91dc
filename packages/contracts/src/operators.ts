import { z } from 'zod';
import { ALLOY_IDS, FINISHES, ORDER_STATUSES, orderView, plainText } from './api.ts';
import { PRODUCTION_STAGE_IDS, PRODUCTION_STAGES, WEIGHING_POINTS } from './production.ts';

/**
 * The operators' MES API (`/ops`): the production board read from its projection, the production actions (each one
 * domain transition with one event), casting trees, order detail, attention and companies. The operators' site
 * (web/operators) imports only this package.
 */

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const stage = z.enum(PRODUCTION_STAGE_IDS);

/** The board's columns, left to right: intake, the client's turn, what needs us, production, out of the door. */
export const BOARD_COLUMNS = [
  { id: 'intake', label: 'Intake' },
  { id: 'quoted', label: 'Quoted, awaiting the client' },
  { id: 'attention', label: 'Needs attention' },
  { id: 'confirmed', label: 'Confirmed, ready to start' },
  ...PRODUCTION_STAGES.map((s) => ({ id: s.id, label: s.label })),
  { id: 'shipped', label: 'Shipped' },
] as const;
export type BoardColumnId = (typeof BOARD_COLUMNS)[number]['id'];
export const BOARD_COLUMN_IDS = BOARD_COLUMNS.map((c) => c.id) as [BoardColumnId, ...BoardColumnId[]];

/** Who did something, as the audit log and the board show it. */
export const actorView = z
  .object({
    kind: z.enum(['client', 'operator', 'system']),
    id: z.string().optional().describe('The operator (Cognito sub) or the API key id'),
    email: z.string().optional(),
    ip: z.string().optional().describe('Where the request came from'),
  })
  .meta({ id: 'Actor' });
export type ActorView = z.infer<typeof actorView>;

export const boardCard = z
  .object({
    orderId: z.string(),
    tenantId: z.string(),
    company: z.string(),
    reference: z.string().optional(),
    status: z.enum(ORDER_STATUSES),
    column: z.enum(BOARD_COLUMN_IDS),
    /** The order's version: actions send it back as expectedVersion (someone else may have moved the order). */
    version: z.number().int(),
    stage: stage.optional(),
    /** Since when the order is in its column (ISO 8601). */
    since: z.string(),
    progress: z.object({ stage: z.string(), percent: z.number() }).optional(),
    alloy: z.enum(ALLOY_IDS),
    quantity: z.number().int(),
    finish: z.enum(FINISHES).optional(),
    ringSize: z.object({ system: z.enum(['EU', 'US']), size: z.number() }).optional(),
    dueDate: z.string(),
    overdue: z.boolean().describe('The due date has passed'),
    atRisk: z.boolean().describe('Now plus the planned hours of the remaining stages is past the due date'),
    rush: z.boolean().describe('Confirmed with less time to the due date than the planned production time'),
    hold: z.object({ reason: z.string(), at: z.string() }).optional(),
    reasons: z.array(z.string()).optional().describe('Why it needs attention (rejection or failure)'),
    treeId: z.string().optional(),
    hasThumbnail: z.boolean(),
    weightGrams: z.number().optional().describe('Metal per piece, sprue included'),
    lastChange: z.object({ at: z.string(), what: z.string(), by: actorView.optional() }),
  })
  .meta({ id: 'BoardCard' });
export type BoardCard = z.infer<typeof boardCard>;

/**
 * The board, gzipped: a client that puts this first in Accept (and gzip in Accept-Encoding) gets the board as JSON
 * with Content-Encoding gzip, about a tenth of its size. API Gateway passes it as binary (the REST API's binary
 * media type), which keeps a board of many thousand cards inside Lambda's 6 MB answer.
 */
export const BOARD_MEDIA_TYPE = 'application/vnd.facet.board+json';

export const boardView = z
  .object({
    /** The projection's version: the ETag, so an unchanged board is a 304. */
    version: z.number().int(),
    generatedAt: z.string(),
    columns: z.array(z.object({ id: z.enum(BOARD_COLUMN_IDS), label: z.string() })),
    cards: z.array(boardCard),
  })
  .meta({ id: 'Board' });
export type BoardView = z.infer<typeof boardView>;

/** One production action on one order; each is one transition of the order with one event. */
export const orderAction = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('start') }).describe('confirmed → in production, at the first stage'),
    z.strictObject({ type: z.literal('advance') }).describe('to the next production stage'),
    z.strictObject({ type: z.literal('hold'), reason: plainText(300).trim().min(3) }),
    z.strictObject({ type: z.literal('resume') }),
    z.strictObject({
      type: z.literal('record-weights'),
      point: z.enum(WEIGHING_POINTS),
      gramsIn: z.number().positive().max(100_000),
      gramsOut: z.number().positive().max(100_000),
    }),
    z.strictObject({
      type: z.literal('ship'),
      carrier: plainText(60).trim().min(2),
      trackingNumber: plainText(60).trim().min(3),
    }),
    z.strictObject({ type: z.literal('deliver') }),
    z.strictObject({ type: z.literal('rerun') }).describe('a failed calculation, queued again'),
  ])
  .meta({ id: 'OrderAction' });
export type OrderAction = z.infer<typeof orderAction>;

export const orderActionRequest = z
  .strictObject({
    action: orderAction,
    expectedVersion: z.number().int().min(1).describe('The version the operator saw: a newer one answers 409'),
  })
  .meta({ id: 'OrderActionRequest' });

export const bulkActionRequest = z
  .strictObject({
    action: z.discriminatedUnion('type', [
      z.strictObject({ type: z.literal('advance') }),
      z.strictObject({ type: z.literal('start') }),
    ]),
    orders: z
      .array(z.strictObject({ orderId: id, expectedVersion: z.number().int().min(1) }))
      .min(1)
      .max(100),
  })
  .meta({ id: 'BulkActionRequest' });

export const bulkActionResponse = z
  .object({
    results: z.array(
      z.object({
        orderId: z.string(),
        ok: z.boolean(),
        version: z.number().int().optional(),
        problem: z.string().optional().describe('Why this one was not moved'),
      }),
    ),
  })
  .meta({ id: 'BulkActionResponse' });

export const productionView = z.object({
  stage: stage.optional(),
  stageStartedAt: z.string().optional(),
  hold: z.object({ reason: z.string(), at: z.string(), by: z.string().optional() }).optional(),
  weights: z
    .array(
      z.object({
        point: z.enum(WEIGHING_POINTS),
        gramsIn: z.number(),
        gramsOut: z.number(),
        lossGrams: z.number(),
        at: z.string(),
      }),
    )
    .describe('Metal weighed in and out; the loss per point'),
  treeId: z.string().optional(),
  shipment: z.object({ carrier: z.string(), trackingNumber: z.string(), at: z.string() }).optional(),
});

export const auditEntry = z
  .object({
    eventId: z.string(),
    type: z.string(),
    at: z.string(),
    status: z.string(),
    stage: z.string().optional(),
    detail: z.string().optional(),
    actor: actorView.optional(),
  })
  .meta({ id: 'AuditEntry' });

export const operatorOrderView = z
  .object({
    order: orderView,
    tenantId: z.string(),
    company: z.string(),
    version: z.number().int(),
    production: productionView,
    /** Short-lived links for the viewer and the downloads. */
    files: z.object({
      original: z.object({ url: z.string(), name: z.string(), format: z.string().optional() }).optional(),
      repaired: z.string().optional(),
      report: z.string().optional(),
      thumbnail: z.string().optional(),
      expiresAt: z.string(),
    }),
    audit: z.array(auditEntry).describe('Every event of the order, oldest first: who, when, what, from where'),
  })
  .meta({ id: 'OperatorOrder' });
export type OperatorOrderView = z.infer<typeof operatorOrderView>;

export const thumbnailsRequest = z
  .strictObject({ orderIds: z.array(id).min(1).max(100) })
  .meta({ id: 'ThumbnailsRequest' });
export const thumbnailsResponse = z
  .object({ thumbnails: z.record(z.string(), z.string()), expiresAt: z.string() })
  .meta({ id: 'Thumbnails' });

export const treeView = z
  .object({
    id: z.string(),
    alloy: z.enum(ALLOY_IDS),
    stage: stage,
    orders: z.array(
      z.object({ orderId: z.string(), tenantId: z.string(), reference: z.string().optional(), pieces: z.number() }),
    ),
    pieces: z.number().int(),
    resinGrams: z.number().describe('The printed models: volume × resin density, all pieces'),
    metalGrams: z
      .number()
      .describe('Metal to melt for the tree: resin volume × alloy density, plus the sprue allowance'),
    createdAt: z.string(),
    createdBy: z.string().optional(),
  })
  .meta({ id: 'CastingTree' });
export type TreeView = z.infer<typeof treeView>;

export const createTreeRequest = z
  .strictObject({ orderIds: z.array(id).min(1).max(200) })
  .meta({ id: 'CreateTreeRequest', description: 'Confirmed or printing orders of one alloy, cast together' });
export const treeResponse = z.object({ tree: treeView }).meta({ id: 'TreeResponse' });
export const treeListResponse = z.object({ trees: z.array(treeView) }).meta({ id: 'TreeList' });
export const advanceTreeRequest = z.strictObject({ expectedStage: stage }).meta({ id: 'AdvanceTreeRequest' });

export const attentionView = z
  .object({
    cards: z.array(boardCard).describe('Rejected and failed orders, oldest first'),
    deadLetters: z.array(
      z.object({
        queue: z.string(),
        count: z.number().int(),
        sample: z.array(z.object({ messageId: z.string(), orderId: z.string().optional(), body: z.string() })),
      }),
    ),
  })
  .meta({ id: 'Attention' });

export const companyView = z
  .object({
    id: z.string(),
    name: z.string(),
    notificationEmail: z.string(),
    keys: z.array(
      z.object({
        keyId: z.string(),
        kind: z.enum(['live', 'sandbox']),
        status: z.enum(['active', 'revoked']),
        createdAt: z.string().optional(),
      }),
    ),
  })
  .meta({ id: 'Company' });
export type CompanyView = z.infer<typeof companyView>;
export const companyListResponse = z.object({ companies: z.array(companyView) }).meta({ id: 'CompanyList' });
export const createCompanyRequest = z
  .strictObject({ name: plainText(120).trim().min(2), notificationEmail: z.email().max(254) })
  .meta({ id: 'CreateCompanyRequest' });
export const companyResponse = z.object({ company: companyView }).meta({ id: 'CompanyResponse' });
export const issueKeyRequest = z.strictObject({ kind: z.enum(['live', 'sandbox']) }).meta({ id: 'IssueKeyRequest' });
export const issuedKeyResponse = z
  .object({ keyId: z.string(), apiKey: z.string().describe('Shown this once; stored only as its hash') })
  .meta({ id: 'IssuedKey' });

export const meView = z
  .object({ sub: z.string(), email: z.string(), role: z.enum(['operator', 'admin']), groups: z.array(z.string()) })
  .meta({ id: 'Me' });

/** What the site reads at start (deployed next to it, not baked into the build). */
export const siteConfig = z.object({
  apiUrl: z.string(),
  authority: z.string().describe('The OpenID issuer (Cognito user pool, or the local issuer)'),
  clientId: z.string(),
  /** Cognito's managed login has its own logout endpoint; the local issuer too. */
  logoutUrl: z.string().optional(),
});
export type SiteConfig = z.infer<typeof siteConfig>;
