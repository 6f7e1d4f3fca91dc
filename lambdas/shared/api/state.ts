import type { Caller } from '@facet/domain/orders/deps';
import type { Operator } from '@facet/domain/production/operator';
import type { MiddlewareObj, Request } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';

/**
 * What the API middlewares establish for the handler. It travels on the invocation's context object (the way
 * middy middlewares hand values to a handler), under one key, and is created fresh per invocation.
 */
export interface ApiState {
  correlationId: string;
  caller?: Caller;
  operator?: Operator;
  body?: unknown;
  query?: unknown;
  params?: unknown;
}

export type ApiRequest = Request<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>;
export type ApiMiddleware = MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>;

export type ApiContext = Context & { facetApi?: ApiState };

export function stateOf(request: { context: Context }): ApiState {
  const context = request.context as ApiContext;
  context.facetApi ??= { correlationId: '' };
  return context.facetApi;
}

/** A header by name, whatever its case (API Gateway keeps the client's). */
export function headerOf(event: APIGatewayProxyEvent, name: string): string | undefined {
  for (const [k, v] of Object.entries(event.headers ?? {})) if (k.toLowerCase() === name && v) return v;
  return undefined;
}
