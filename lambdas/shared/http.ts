import { randomUUID } from 'node:crypto';
import { isDomainError } from '@facet/domain/errors';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { z } from 'zod';
import { logger } from './observability.ts';
import { type ProblemKind, problemBody } from './problem.ts';

/** What a clients-audience handler sees: the tenant from the authorizer (never from the body), parsed input. */
export interface ClientsRequest<B> {
  readonly tenantId: string;
  readonly correlationId: string;
  readonly body: B;
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

/**
 * The middleware bundle of the clients audience: correlation id and logger keys per invocation, tenant from the
 * authorizer context, JSON + zod body parsing, and the error handler that maps everything to problem+json.
 */
export function clientsHandler<S extends z.ZodType | undefined>(
  bodySchema: S,
  run: (req: ClientsRequest<S extends z.ZodType ? z.infer<S> : undefined>) => Promise<JsonResponse>,
) {
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult>().handler(async (event, context) => {
    const correlationId = headerOf(event, 'x-correlation-id') ?? event.requestContext?.requestId ?? randomUUID();
    logger.resetKeys();
    logger.addContext(context);
    logger.appendKeys({ correlationId, route: `${event.httpMethod} ${event.resource}` });
    try {
      const tenantId = event.requestContext?.authorizer?.tenantId;
      if (typeof tenantId !== 'string' || tenantId === '')
        throw new HttpProblem('unauthenticated', 'No tenant in the request context.');
      logger.appendKeys({ tenantId });
      const body = bodySchema ? parseBody(bodySchema, event.body) : undefined;
      const result = await run({
        tenantId,
        correlationId,
        body: body as never,
        pathParameters: (event.pathParameters ?? {}) as Record<string, string>,
        event,
      });
      return json(result.status, result.body, { 'x-correlation-id': correlationId, ...result.headers });
    } catch (error) {
      return toProblemResponse(error, event, correlationId);
    }
  });
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
      problemBody(error.kind, error.message, { instance, correlationId, errors: error.fields }),
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
