import { clientsRoutes } from './clients.ts';
import { operatorsRoutes } from './operators.ts';
import { publicRoutes } from './public.ts';
import type { Audience, RouteDecl } from './types.ts';

/**
 * The one wiring declaration (DESIGN.md §3): every route (one file per audience), queue, subscription, stream,
 * table and bucket is declared in this package, once. The CDK constructs (lib/) build AWS resources from it; the
 * local cloud (local/) builds its router, pollers and emulator resources from it; the middleware bundles parse
 * requests with its schemas and the OpenAPI document is generated from it. test/e2e/wiring-parity.test.ts proves
 * the synthesized template and the local cloud serve the same thing.
 */

import { BOARD_MEDIA_TYPE } from '@facet/contracts/operators';

export * from './events.ts';
export * from './sites.ts';
export * from './storage.ts';
export type { Audience, OperationDoc, QueueDecl, RouteDecl, StreamDecl, SubscriptionDecl } from './types.ts';

export const routes = [...clientsRoutes, ...publicRoutes, ...operatorsRoutes] as const satisfies readonly RouteDecl[];

export type Route = (typeof routes)[number];
export type RouteFnName = Route['fn'];
export type RouteOf<F extends RouteFnName> = Extract<Route, { fn: F }>;

/** The declaration of one route, by its function name. */
export function routeOf<F extends RouteFnName>(fn: F): RouteOf<F> {
  const found = routes.find((r) => r.fn === fn);
  if (!found) throw new Error(`no route ${fn} in the wiring`);
  return found as RouteOf<F>;
}

/**
 * Each audience but the public one has one authorizer in front of all its routes. API Gateway keeps an
 * authorizer's answer for `cacheSeconds` per identity header value (its policy then covers every route of the
 * audience): the operators' site polls the board with one token, verified once a minute instead of each time. A
 * client's key is checked on every request, so a revoked key is refused from the next one on.
 */
export const authorizers = {
  clients: {
    fn: 'ClientsAuthorizer',
    entry: 'lambdas/clients/authorizer.ts',
    identityHeader: 'x-api-key',
    cacheSeconds: 0,
  },
  operators: {
    fn: 'OperatorsAuthorizer',
    entry: 'lambdas/operators/authorizer.ts',
    identityHeader: 'authorization',
    cacheSeconds: 60,
  },
} as const satisfies Partial<
  Record<Audience, { fn: string; entry: string; identityHeader: string; cacheSeconds: number }>
>;

/**
 * Answers API Gateway passes as binary when the request's first Accept type is one of these (a handler's base64
 * body becomes bytes): only the board's gzipped representation, so no request body is ever base64-encoded.
 */
export const binaryMediaTypes: readonly string[] = [BOARD_MEDIA_TYPE];

/** The first media type of an Accept header, as API Gateway reads it to choose a binary answer. */
export const firstAcceptType = (accept: string | undefined) =>
  accept?.split(',')[0]?.split(';')[0]?.trim().toLowerCase() ?? '';
