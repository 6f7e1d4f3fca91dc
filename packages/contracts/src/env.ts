import { z } from 'zod';

/**
 * Environment contracts: one zod schema per function. The CDK function construct types its `environment` with
 * the schema's input type (a missing variable fails at synth); the handler parses process.env with the same schema
 * at cold start (a missing variable fails at init, never mid-request).
 */

const nonEmpty = z.string().min(1);
const flag = z
  .enum(['true', 'false'])
  .default('false')
  .transform((v) => v === 'true');

/** Shared by everything that touches the data plane. */
const dataPlane = z.object({
  TABLE_NAME: nonEmpty,
  BUCKET_NAME: nonEmpty,
  /** Path-style S3 URLs: required by the local S3 emulator, harmless on AWS. */
  S3_FORCE_PATH_STYLE: flag,
});

/** The order routes write orders and their events to the table; the outbox publisher sends the events on. */
export const clientsApiEnv = dataPlane.extend({
  /** Lifetime of presigned part URLs and report links. */
  PRESIGN_TTL_SECONDS: z.coerce.number().int().min(60).max(3600).default(900),
});

export const clientsAuthorizerEnv = z.object({ TABLE_NAME: nonEmpty });

/**
 * The operators' authorizer verifies ID tokens of one issuer for one app client: the Cognito user pool on AWS
 * (`https://cognito-idp.<region>.amazonaws.com/<poolId>`), the local cloud's issuer locally.
 */
export const operatorsAuthorizerEnv = z.object({
  OPERATORS_ISSUER: z.url(),
  OPERATORS_CLIENT_ID: nonEmpty,
  /** Defaults to the issuer's `/.well-known/jwks.json` (Cognito's place for it). */
  OPERATORS_JWKS_URI: z.url().optional(),
});

/** GET /v1/usage reads API Gateway's usage plan, found by name (locally: the local gateway's, same protocol). */
export const usageEnv = z.object({ USAGE_PLAN_NAME: nonEmpty });

/** The public routes (the API description and its docs page) touch no data. */
export const publicEnv = z.object({});

export const emailNotifierEnv = dataPlane.extend({
  /** `ses` on AWS; `outbox` writes each email as a file for the local outbox page. */
  MAIL_TRANSPORT: z.enum(['ses', 'outbox']),
  MAIL_FROM: z.string().email(),
  OUTBOX_DIR: z.string().optional(),
});

export const calculatorEnv = dataPlane.extend({
  /** The queue it consumes (`order.queued` events); results go to the table with their events. */
  JOBS_QUEUE_URL: nonEmpty,
  /** Parallel jobs per task; the worker is CPU-bound, so one per vCPU. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(1),
  /** After SIGTERM, how long a running job may go on before it is released; Fargate kills at 120 s. */
  STOP_GRACE_SECONDS: z.coerce.number().int().min(0).max(100).default(90),
});

/** The operators' MES API: the board's projection, orders of every company, trees, companies and their keys. */
export const operatorsApiEnv = dataPlane.extend({
  PRESIGN_TTL_SECONDS: z.coerce.number().int().min(60).max(3600).default(900),
  /** The calculation jobs' dead-letter queue, shown (peeked, never consumed) on the attention page. */
  CALCULATION_DLQ_URL: nonEmpty,
  /**
   * On AWS, new company keys are registered on the clients' usage plan, found by this name (its id would tie the
   * functions to the stage); absent locally, where the local gateway meters keys itself.
   */
  USAGE_PLAN_NAME: z.string().min(1).optional(),
});

/** The board's projector: reads orders and companies, writes the projection. */
export const boardProjectorEnv = z.object({ TABLE_NAME: nonEmpty });

/** The outbox publisher: reads new event items from the table's stream and publishes them; touches no data. */
export const eventPublisherEnv = z.object({ EVENTS_TOPIC_ARN: nonEmpty });

export type ClientsApiEnv = z.infer<typeof clientsApiEnv>;
export type ClientsAuthorizerEnv = z.infer<typeof clientsAuthorizerEnv>;
export type EmailNotifierEnv = z.infer<typeof emailNotifierEnv>;
export type CalculatorEnv = z.infer<typeof calculatorEnv>;
export type EventPublisherEnv = z.infer<typeof eventPublisherEnv>;
export type OperatorsApiEnv = z.infer<typeof operatorsApiEnv>;
export type BoardProjectorEnv = z.infer<typeof boardProjectorEnv>;

/** Webhook targets: local development allows http and private addresses (the local cloud's receivers are on 127.0.0.1). */
const webhookTargets = z.object({
  TABLE_NAME: nonEmpty,
  /** The webhook notifier's queue: retries and replays are messages on it. */
  WEBHOOK_QUEUE_URL: nonEmpty,
  WEBHOOK_ALLOW_PRIVATE_TARGETS: flag,
});

/** The /v1/webhooks routes. */
export const webhooksApiEnv = webhookTargets;

export const webhookNotifierEnv = webhookTargets.extend({
  /** Seconds between attempts, comma-separated (tests shorten it); unset means the real schedule. */
  WEBHOOK_BACKOFF_SECONDS: z
    .string()
    .regex(/^\d+(,\d+)*$/, 'must be whole seconds, comma-separated')
    .transform((s) => s.split(',').map(Number))
    .optional(),
});

export type WebhooksApiEnv = z.infer<typeof webhooksApiEnv>;
export type WebhookNotifierEnv = z.infer<typeof webhookNotifierEnv>;

/** The environment a function needs, by its logical name in the wiring declaration. */
export const functionEnv = {
  ClientsAuthorizer: clientsAuthorizerEnv,
  OperatorsAuthorizer: operatorsAuthorizerEnv,
  CreateOrder: clientsApiEnv,
  GetOrder: clientsApiEnv,
  CompleteUpload: clientsApiEnv,
  ListOrders: clientsApiEnv,
  CancelOrder: clientsApiEnv,
  ConfirmOrder: clientsApiEnv,
  ReplaceModel: clientsApiEnv,
  GetUpload: clientsApiEnv,
  GetUsage: usageEnv,
  OpenApiDocument: publicEnv,
  ApiDocsPage: publicEnv,
  ApiDocsAsset: publicEnv,
  ApiReference: publicEnv,
  EmailNotifier: emailNotifierEnv,
  RegisterWebhook: webhooksApiEnv,
  ListWebhooks: webhooksApiEnv,
  GetWebhook: webhooksApiEnv,
  DeleteWebhook: webhooksApiEnv,
  RotateWebhookSecret: webhooksApiEnv,
  ListWebhookDeliveries: webhooksApiEnv,
  ReplayWebhookDelivery: webhooksApiEnv,
  WebhookNotifier: webhookNotifierEnv,
  EventPublisher: eventPublisherEnv,
  BoardProjector: boardProjectorEnv,
  OperatorsMe: operatorsApiEnv,
  OperatorsBoard: operatorsApiEnv,
  OperatorsOrder: operatorsApiEnv,
  OperatorsOrderAction: operatorsApiEnv,
  OperatorsBulkAction: operatorsApiEnv,
  OperatorsThumbnails: operatorsApiEnv,
  OperatorsAttention: operatorsApiEnv,
  OperatorsTrees: operatorsApiEnv,
  OperatorsCreateTree: operatorsApiEnv,
  OperatorsAdvanceTree: operatorsApiEnv,
  OperatorsCompanies: operatorsApiEnv,
  OperatorsCreateCompany: operatorsApiEnv,
  OperatorsIssueKey: operatorsApiEnv,
  OperatorsRevokeKey: operatorsApiEnv,
} as const;

export type FunctionName = keyof typeof functionEnv;
/** What a construct must provide: the schema's input (defaults may be omitted). */
export type FunctionEnvInput<F extends FunctionName> = z.input<(typeof functionEnv)[F]>;

/** Parses the environment once, with an error that names every missing or wrong variable. */
export function loadEnv<S extends z.ZodType>(schema: S, source: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid environment: ${issues}`);
  }
  return parsed.data;
}
