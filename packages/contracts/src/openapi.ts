import { z } from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import {
  cancelOrderRequest,
  completeUploadRequest,
  confirmOrderRequest,
  createOrderRequest,
  createOrderResponse,
  listOrdersQuery,
  orderList,
  orderResponse,
  problem,
  replaceModelRequest,
  uploadStatusResponse,
  usageView,
} from './api.ts';
import { PROBLEM_KINDS, type ProblemKind, problemType } from './problems.ts';
import {
  createWebhookResponse,
  registerWebhookRequest,
  rotateWebhookSecretResponse,
  webhookDeliveryListQuery,
  webhookDeliveryListResponse,
  webhookDeliveryResponse,
  webhookListResponse,
  webhookResponse,
} from './webhooks.ts';
import { routes } from './wiring.ts';

/**
 * The OpenAPI 3.1 description of the API, generated from the same zod schemas the handlers parse with and from the
 * wiring's routes (never written by hand). `operations` must name every route: a new route is a compile error
 * until it is documented here, or explicitly left out (`null`: the docs page itself).
 */

type RouteFnName = (typeof routes)[number]['fn'];

export interface OperationDoc {
  readonly summary: string;
  readonly description?: string;
  readonly tag: 'Orders' | 'Webhooks' | 'Usage' | 'API';
  readonly query?: z.ZodObject;
  readonly body?: z.ZodType;
  /** The body may be left out entirely. */
  readonly bodyOptional?: boolean;
  readonly success: {
    readonly status: 200 | 201 | 202 | 204;
    readonly description: string;
    readonly schema?: z.ZodType;
  };
  /** Problem kinds this operation answers with, besides those of its audience. */
  readonly problems: readonly ProblemKind[];
}

const orderId = { orderId: z.string().meta({ description: 'The order id (`ord_…`)' }) };

const operations: { readonly [F in RouteFnName]: OperationDoc | null } = {
  CreateOrder: {
    summary: 'Create an order and get upload URLs for its model',
    description:
      'Declares the model file (name and size) and returns presigned multipart part URLs. PUT each part to its ' +
      'URL, keep the ETag response headers, then call completeUrl. Formats: STL (binary or ASCII), OBJ, 3MF.',
    tag: 'Orders',
    body: createOrderRequest,
    success: { status: 201, description: 'The order, awaiting its model', schema: createOrderResponse },
    problems: ['validation', 'bad_request', 'idempotency_mismatch', 'conflict'],
  },
  GetOrder: {
    summary: 'Get an order: status, progress, history, metrics, quote and download links',
    tag: 'Orders',
    success: { status: 200, description: 'The order', schema: orderResponse },
    problems: ['not_found'],
  },
  CompleteUpload: {
    summary: 'Complete the model upload and queue the calculation',
    tag: 'Orders',
    body: completeUploadRequest,
    success: { status: 202, description: 'The order, queued for calculation', schema: orderResponse },
    problems: ['validation', 'bad_request', 'not_found', 'conflict', 'upload_incomplete', 'idempotency_mismatch'],
  },
  ListOrders: {
    summary: 'List orders, newest first',
    description:
      'Filter by status and creation time; follow nextCursor for the next page. Cursors are sealed: they only work ' +
      'for the same company, key space and filters.',
    tag: 'Orders',
    query: listOrdersQuery,
    success: { status: 200, description: 'A page of orders', schema: orderList },
    problems: ['validation'],
  },
  CancelOrder: {
    summary: 'Cancel an order before production',
    description: 'Cancelling a cancelled order answers the order again.',
    tag: 'Orders',
    body: cancelOrderRequest,
    bodyOptional: true,
    success: { status: 200, description: 'The cancelled order', schema: orderResponse },
    problems: ['validation', 'bad_request', 'not_found', 'conflict', 'idempotency_mismatch'],
  },
  ConfirmOrder: {
    summary: 'Confirm the quote',
    description:
      'A quote whose metal-price lock ended is priced again. If the total moved (or differs from expectedTotal), ' +
      'nothing is confirmed: the answer is 409 quote-changed with `previousQuote`, `quote` and the `changes` per ' +
      'line; confirm again with the new expectedTotal. A rejected model that was priced can be confirmed with ' +
      'manufactureAnyway: true.',
    tag: 'Orders',
    body: confirmOrderRequest,
    bodyOptional: true,
    success: { status: 200, description: 'The confirmed order', schema: orderResponse },
    problems: ['validation', 'bad_request', 'not_found', 'conflict', 'quote_changed', 'idempotency_mismatch'],
  },
  GetUpload: {
    summary: 'Resume an interrupted upload',
    description:
      'Lists the parts storage already has (with their ETags) and gives fresh URLs for every part: upload the ' +
      'missing ones, then complete with all ETags.',
    tag: 'Orders',
    success: { status: 200, description: 'Where the upload stands', schema: uploadStatusResponse },
    problems: ['not_found', 'conflict'],
  },
  ReplaceModel: {
    summary: 'Upload a new model for the order',
    description:
      'For a rejected model (or a change before confirming): the order goes back to awaiting_upload with new part ' +
      'URLs; upload and complete as for a new order. Emits order.model-replaced.',
    tag: 'Orders',
    body: replaceModelRequest,
    success: { status: 201, description: 'The order, awaiting the new model', schema: createOrderResponse },
    problems: ['validation', 'bad_request', 'not_found', 'conflict', 'idempotency_mismatch'],
  },
  GetUsage: {
    summary: "This key's usage plan and today's use",
    description:
      'Every key has a rate (requests per second, with a burst) and a daily quota. Above either the answer is ' +
      '429 rate-limited with a Retry-After header in seconds.',
    tag: 'Usage',
    success: { status: 200, description: 'The plan and the use of the current UTC day', schema: usageView },
    problems: [],
  },
  OpenApiDocument: {
    summary: 'This document',
    tag: 'API',
    success: { status: 200, description: 'The OpenAPI 3.1 description of the API' },
    problems: [],
  },
  ApiDocsPage: null,
  ApiDocsAsset: null,
  RegisterWebhook: {
    summary: 'Register a webhook endpoint',
    description:
      'Deliveries are POSTed as application/json and signed per Standard Webhooks: headers `webhook-id`, ' +
      '`webhook-timestamp`, `webhook-signature` (`v1,<base64 HMAC-SHA256 of "id.timestamp.body">`). The secret ' +
      'is shown once. Failed deliveries are retried with backoff.',
    tag: 'Webhooks',
    body: registerWebhookRequest,
    success: { status: 201, description: 'The endpoint and its signing secret', schema: createWebhookResponse },
    problems: ['validation', 'bad_request', 'conflict', 'idempotency_mismatch'],
  },
  ListWebhooks: {
    summary: 'List webhook endpoints',
    tag: 'Webhooks',
    success: { status: 200, description: 'The endpoints', schema: webhookListResponse },
    problems: [],
  },
  GetWebhook: {
    summary: 'Get a webhook endpoint',
    tag: 'Webhooks',
    success: { status: 200, description: 'The endpoint', schema: webhookResponse },
    problems: ['not_found'],
  },
  DeleteWebhook: {
    summary: 'Delete a webhook endpoint',
    tag: 'Webhooks',
    success: { status: 204, description: 'Deleted; nothing more is delivered to it' },
    problems: ['not_found'],
  },
  RotateWebhookSecret: {
    summary: 'Rotate the signing secret',
    description: 'For 24 hours deliveries carry signatures with both the new and the previous secret.',
    tag: 'Webhooks',
    success: { status: 200, description: 'The endpoint with its new secret', schema: rotateWebhookSecretResponse },
    problems: ['not_found', 'idempotency_mismatch'],
  },
  ListWebhookDeliveries: {
    summary: 'List deliveries to an endpoint, with their status',
    tag: 'Webhooks',
    query: webhookDeliveryListQuery,
    success: { status: 200, description: 'Deliveries, newest first', schema: webhookDeliveryListResponse },
    problems: ['validation', 'not_found'],
  },
  ReplayWebhookDelivery: {
    summary: 'Deliver an event again',
    tag: 'Webhooks',
    success: { status: 202, description: 'The delivery, queued again', schema: webhookDeliveryResponse },
    problems: ['not_found', 'conflict', 'idempotency_mismatch'],
  },
};

/** Problems every operation of an audience can answer with (the authorizer, the usage plan, our own failures). */
const audienceProblems = {
  clients: ['unauthenticated', 'forbidden', 'rate_limited', 'internal'],
  public: ['internal'],
} as const satisfies Record<(typeof routes)[number]['audience'], readonly ProblemKind[]>;

const problemContent = { 'application/problem+json': { schema: problem } };

function problemResponses(kinds: readonly ProblemKind[]) {
  const byStatus = new Map<number, ProblemKind[]>();
  for (const kind of new Set(kinds)) {
    const { status } = PROBLEM_KINDS[kind];
    byStatus.set(status, [...(byStatus.get(status) ?? []), kind]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, kinds]) => [
      String(status),
      {
        description: kinds.map((k) => `${PROBLEM_KINDS[k].title} (\`${problemType(k)}\`)`).join('; '),
        content: problemContent,
        ...(status === 429
          ? { headers: z.object({ 'Retry-After': z.string().meta({ description: 'Seconds to wait' }) }) }
          : {}),
      },
    ]),
  );
}

const idempotencyHeader = z.object({
  'Idempotency-Key': z.string().min(1).max(255).optional().meta({
    description: 'Same key and body within 24 h → the first answer again; same key, other body → 422',
  }),
});

const API_DESCRIPTION = `The Facet Clients API: upload a jewelry model, get a manufacturability report and an itemized
quote in seconds, confirm it, and follow the order through production.

**Authentication**: send your API key in the \`x-api-key\` header. Sandbox keys (\`fct_sandbox_…\`) see only sandbox
orders: they are calculated and quoted like live ones but never produced or billed.

**Errors** are \`application/problem+json\` (RFC 9457) with a stable \`type\` per kind and, for invalid input,
\`errors[]\` with field paths.

**Retries**: every POST accepts an \`Idempotency-Key\`.`;

export function openApiDocument(serverUrl = '/') {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of routes) {
    const op = operations[route.fn];
    if (!op) continue;
    const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
    const path = Object.fromEntries(
      names.map((n) => [n, n === 'orderId' ? orderId.orderId : z.string().meta({ description: `The ${n}` })]),
    );
    const operation: ZodOpenApiOperationObject = {
      operationId: route.fn.charAt(0).toLowerCase() + route.fn.slice(1),
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      tags: [op.tag],
      security: route.audience === 'clients' ? [{ apiKey: [] }] : [],
      requestParams: {
        ...(names.length ? { path: z.object(path) } : {}),
        ...(op.query ? { query: op.query } : {}),
        ...(route.method === 'POST' && route.audience === 'clients' ? { header: idempotencyHeader } : {}),
      },
      ...(op.body
        ? { requestBody: { required: !op.bodyOptional, content: { 'application/json': { schema: op.body } } } }
        : {}),
      responses: {
        [String(op.success.status)]: {
          description: op.success.description,
          ...(op.success.schema ? { content: { 'application/json': { schema: op.success.schema } } } : {}),
        },
        ...problemResponses([...op.problems, ...audienceProblems[route.audience]]),
      },
    };
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation };
  }
  return createDocument({
    openapi: '3.1.0',
    info: { title: 'Facet Clients API', version: '1.0.0', description: API_DESCRIPTION },
    servers: [{ url: serverUrl }],
    paths,
    components: {
      securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' } },
    },
  });
}
