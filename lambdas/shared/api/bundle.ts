import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Caller } from '@facet/domain/orders/deps';
import type { IdempotencyStore } from '@facet/domain/ports';
import type { Operator } from '@facet/domain/production/operator';
import { type RouteFnName, type RouteOf, routeOf } from '@facet/wiring';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { z } from 'zod';
import { logger, metrics } from '../observability.ts';
import { adminOnly, callerOf } from './callers.ts';
import { correlation } from './correlation.ts';
import { idempotency } from './idempotency.ts';
import { parseRequest } from './parse-request.ts';
import { answerMetrics, problemResponses } from './problem-handler.ts';
import { stateOf } from './state.ts';

type Parsed<R, K extends string> = R extends { readonly [P in K]: infer S extends z.ZodType } ? z.infer<S> : undefined;
type BodyOf<R> = R extends { readonly bodyOptional: true } ? Parsed<R, 'body'> | undefined : Parsed<R, 'body'>;
type CallerOf<R> = R extends { readonly audience: 'clients' } ? Caller : undefined;
type OperatorOf<R> = R extends { readonly audience: 'operators' } ? Operator : undefined;

/** What a handler sees: everything parsed and checked from its route's declaration. */
export interface RouteRequest<R> {
  /** From the authorizer's context only. */
  readonly caller: CallerOf<R>;
  /** The signed-in operator (operators' routes), from the authorizer's context only. */
  readonly operator: OperatorOf<R>;
  readonly correlationId: string;
  readonly body: BodyOf<R>;
  readonly query: Parsed<R, 'query'>;
  readonly params: Parsed<R, 'params'>;
  readonly event: APIGatewayProxyEvent;
}

export interface JsonResponse {
  readonly status: number;
  readonly body?: unknown;
  /** A body already serialized as JSON (a cached answer), sent as it is. */
  readonly raw?: string;
  /** Bytes in base64 (a binary media type of the API: wiring's `binaryMediaTypes`), with their own content-type. */
  readonly base64?: string;
  readonly headers?: Record<string, string>;
}

export interface RouteOptions {
  /** Required by routes declared `idempotent`. */
  readonly idempotency?: IdempotencyStore;
}

/**
 * A route's handler inside its audience's middleware bundle (STYLE §3): Lambda context and fresh logger keys,
 * metrics, correlation id, the caller from the authorizer, the request parsed with the route's schemas,
 * idempotency for the routes that declare it, and the problem+json error handler last. What is left for the
 * handler is parse → domain → map.
 */
export function routeHandler<F extends RouteFnName>(
  fn: F,
  run: (request: RouteRequest<RouteOf<F>>) => Promise<JsonResponse>,
  options: RouteOptions = {},
) {
  const route = routeOf(fn);
  if ('idempotent' in route && route.idempotent && !options.idempotency) {
    throw new Error(`${fn} is declared idempotent: give its handler an idempotency store`);
  }
  const chain = middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .use(answerMetrics())
    .use(correlation())
    .use(callerOf(route.audience));
  if ('role' in route && route.role === 'admin') chain.use(adminOnly());
  chain.use(parseRequest(route));
  if (options.idempotency) chain.use(idempotency(options.idempotency));
  return chain.use(problemResponses()).handler(async (event, context) => {
    const state = stateOf({ context });
    const result = await run({
      caller: state.caller as CallerOf<RouteOf<F>>,
      operator: state.operator as OperatorOf<RouteOf<F>>,
      correlationId: state.correlationId,
      body: state.body as BodyOf<RouteOf<F>>,
      query: state.query as Parsed<RouteOf<F>, 'query'>,
      params: state.params as Parsed<RouteOf<F>, 'params'>,
      event,
    });
    if (result.base64 !== undefined) {
      const headers = { 'x-correlation-id': state.correlationId, ...result.headers };
      return { statusCode: result.status, headers, body: result.base64, isBase64Encoded: true };
    }
    const body = result.raw ?? (result.body === undefined ? undefined : JSON.stringify(result.body));
    return {
      statusCode: result.status,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        'x-correlation-id': state.correlationId,
        ...result.headers,
      },
      body: body ?? '',
    };
  });
}
