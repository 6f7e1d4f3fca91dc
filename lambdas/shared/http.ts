import { createHash, randomUUID } from 'node:crypto';
import { isDomainError } from '@facet/domain/errors';
import type { Caller } from '@facet/domain/orders/deps';
import type { IdempotencyStore } from '@facet/domain/ports';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { z } from 'zod';
import { logger } from './observability.ts';
import { type ProblemKind, problemBody } from './problem.ts';

/** What a clients-audience handler sees: the caller from the authorizer (never from the body), parsed input. */
export interface ClientsRequest<B, Q = undefined> {
  /** The company and its key's space: sandbox keys see and create only sandbox orders. */
  readonly caller: Caller;
  readonly correlationId: string;
  readonly body: B;
  readonly query: Q;
  readonly pathParameters: Readonly<Record<string, string>>;
  readonly event: APIGatewayProxyEvent;
}

export interface JsonResponse {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
}

class HttpProblem extends Error {
  constructor(
    readonly kind: ProblemKind,
    message: string,
    readonly errors: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

export interface ClientsHandlerOptions<Q extends z.ZodType | undefined = undefined> {
  /** POSTs with an `Idempotency-Key` header are answered once and replayed after (DESIGN.md §5). */
  readonly idempotency?: IdempotencyStore;
  /** Schema of the query string; unknown parameters are refused like unknown body fields. */
  readonly query?: Q;
}

type Parsed<S> = S extends z.ZodType ? z.infer<S> : undefined;

/**
 * The middleware bundle of the clients audience: correlation id and logger keys per invocation, tenant from the
 * authorizer context, idempotency keys, JSON + zod body parsing, and the error handler that maps everything to
 * problem+json.
 */
export function clientsHandler<S extends z.ZodType | undefined, Q extends z.ZodType | undefined = undefined>(
  bodySchema: S,
  run: (req: ClientsRequest<Parsed<S>, Parsed<Q>>) => Promise<JsonResponse>,
  options: ClientsHandlerOptions<Q> = {},
) {
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult>().handler(async (event, context) => {
    const correlationId = headerOf(event, 'x-correlation-id') ?? event.requestContext?.requestId ?? randomUUID();
    logger.resetKeys();
    logger.addContext(context);
    logger.appendKeys({ correlationId, route: `${event.httpMethod} ${event.resource}` });
    const execute = async (caller: Caller): Promise<APIGatewayProxyResult> => {
      try {
        const body = bodySchema ? parseBody(bodySchema, event.body) : undefined;
        const query = options.query ? parseQuery(options.query, event.queryStringParameters) : undefined;
        const result = await run({
          caller,
          correlationId,
          body: body as never,
          query: query as never,
          pathParameters: (event.pathParameters ?? {}) as Record<string, string>,
          event,
        });
        return json(result.status, result.body, { 'x-correlation-id': correlationId, ...result.headers });
      } catch (error) {
        return toProblemResponse(error, event, correlationId);
      }
    };
    try {
      const tenantId = event.requestContext?.authorizer?.tenantId;
      if (typeof tenantId !== 'string' || tenantId === '')
        throw new HttpProblem('unauthenticated', 'No tenant in the request context.');
      const caller: Caller = { tenantId, sandbox: event.requestContext.authorizer?.keyKind === 'sandbox' };
      logger.appendKeys({ tenantId, sandbox: caller.sandbox });
      const key = headerOf(event, 'idempotency-key');
      if (!key || !options.idempotency || event.httpMethod !== 'POST') return await execute(caller);
      // The sandbox has its own key space, like its own orders.
      const scope = caller.sandbox ? `${tenantId}#sandbox` : tenantId;
      return await idempotent(options.idempotency, scope, key, event, () => execute(caller));
    } catch (error) {
      return toProblemResponse(error, event, correlationId);
    }
  });
}

/**
 * Same key and same request → the first answer, replayed; same key and another request → 422. Answers of our own
 * failures (5xx) are not kept, so a retry runs again.
 */
async function idempotent(
  store: IdempotencyStore,
  tenantId: string,
  key: string,
  event: APIGatewayProxyEvent,
  execute: () => Promise<APIGatewayProxyResult>,
): Promise<APIGatewayProxyResult> {
  if (key.length > 255 || !/^[\x21-\x7e]+$/.test(key)) {
    throw new HttpProblem('validation', 'The Idempotency-Key header must be 1–255 visible ASCII characters.', [
      { path: 'headers.idempotency-key', message: 'invalid' },
    ]);
  }
  const fingerprint = createHash('sha256')
    .update(`${event.httpMethod} ${event.path}\n${canonicalBody(event.body)}`)
    .digest('hex');
  const begun = await store.begin(tenantId, key, fingerprint);
  if (begun.state === 'replay') {
    return { ...begun.response, headers: { ...begun.response.headers, 'idempotent-replayed': 'true' } };
  }
  if (begun.state === 'mismatch') {
    throw new HttpProblem(
      'idempotency_mismatch',
      'This Idempotency-Key was used with another request; use a new key for a new request.',
    );
  }
  if (begun.state === 'in_progress') {
    throw new HttpProblem(
      'conflict',
      'A request with this Idempotency-Key is still being processed; retry in a moment.',
    );
  }
  let response: APIGatewayProxyResult;
  try {
    response = await execute();
  } catch (error) {
    await store.abandon(tenantId, key);
    throw error;
  }
  if (response.statusCode >= 500) await store.abandon(tenantId, key);
  else
    await store.complete(tenantId, key, {
      statusCode: response.statusCode,
      headers: (response.headers ?? {}) as Record<string, string>,
      body: response.body,
    });
  return response;
}

/** The body with object keys sorted, so the same JSON sent with another key order is the same request. */
function canonicalBody(raw: string | null): string {
  if (!raw) return '';
  try {
    return JSON.stringify(JSON.parse(raw), (_k, v: unknown) =>
      v && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
        : v,
    );
  } catch {
    return raw;
  }
}

function parseQuery(schema: z.ZodType, raw: Record<string, string | undefined> | null): unknown {
  const parsed = schema.safeParse(raw ?? {});
  if (!parsed.success) {
    const errors = parsed.error.issues.map((i) => ({
      path: `query${i.path.length ? `.${i.path.join('.')}` : ''}`,
      message: i.message,
    }));
    throw new HttpProblem('validation', 'The query string is not valid.', errors);
  }
  return parsed.data;
}

function parseBody(schema: z.ZodType, raw: string | null): unknown {
  let value: unknown;
  try {
    value = raw ? JSON.parse(raw) : undefined;
  } catch {
    throw new HttpProblem('bad_request', 'The body is not valid JSON.');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
    throw new HttpProblem('validation', 'The body does not match the schema.', errors);
  }
  return parsed.data;
}

function toProblemResponse(error: unknown, event: APIGatewayProxyEvent, correlationId: string): APIGatewayProxyResult {
  const instance = event.path;
  if (error instanceof HttpProblem) {
    return problem(
      problemBody(error.kind, error.message, { instance, correlationId, errors: error.errors }),
      correlationId,
    );
  }
  if (isDomainError(error)) {
    logger.info('request refused', { kind: error.kind, detail: error.message });
    return problem(
      problemBody(error.kind, error.message, {
        instance,
        correlationId,
        errors: error.fields,
        ...(error.details ? { details: error.details } : {}),
      }),
      correlationId,
    );
  }
  logger.error('unhandled error', error as Error);
  return problem(
    problemBody('internal', 'Something went wrong on our side. Quote the correlation id when you contact us.', {
      instance,
      correlationId,
    }),
    correlationId,
  );
}

function json(status: number, body: unknown, headers: Record<string, string>): APIGatewayProxyResult {
  return {
    statusCode: status,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}

function problem(body: ReturnType<typeof problemBody>, correlationId: string): APIGatewayProxyResult {
  return {
    statusCode: body.status,
    headers: { 'content-type': 'application/problem+json', 'x-correlation-id': correlationId },
    body: JSON.stringify(body),
  };
}

function headerOf(event: APIGatewayProxyEvent, name: string): string | undefined {
  for (const [k, v] of Object.entries(event.headers ?? {})) if (k.toLowerCase() === name && v) return v;
  return undefined;
}
