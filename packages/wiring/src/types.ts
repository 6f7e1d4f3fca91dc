import type { ProblemKind } from '@facet/contracts/problems';
import type { z } from 'zod';

/** Who calls a route; each audience has its own authorizer and middleware bundle. */
export type Audience = 'clients' | 'operators' | 'public';

/** How a route is described in the OpenAPI document of its audience (`null`: left out, e.g. the docs page). */
export interface OperationDoc {
  readonly summary: string;
  readonly description?: string;
  readonly tag: string;
  readonly success: {
    readonly status: 200 | 201 | 202 | 204 | 304;
    readonly description: string;
    readonly schema?: z.ZodType;
    /** Served with another media type than JSON (e.g. HTML, a PNG). */
    readonly contentType?: string;
    /** The same body under other media types too (chosen by Accept). */
    readonly alsoAs?: readonly string[];
  };
  /** Problem kinds this operation answers with, besides those of its audience. */
  readonly problems: readonly ProblemKind[];
}

/**
 * One route. Its schemas are the contract: the middleware bundle parses the request with them, the OpenAPI
 * document is generated from them, and the local gateway routes by `method` and `path`.
 */
export interface RouteDecl {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** API Gateway path syntax: `{name}` for a path parameter; `params` must name exactly these. */
  readonly path: string;
  readonly audience: Audience;
  /** Logical function name; also the CDK construct id. */
  readonly fn: string;
  /** Handler module, relative to the repository root; it exports `handler`. */
  readonly entry: string;
  /** Path parameters (a value that fails it names no resource: 404). */
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  /** The JSON body; a route without one refuses any body. */
  readonly body?: z.ZodType;
  /** The body may be left out entirely. */
  readonly bodyOptional?: boolean;
  /** POSTs answer once per `Idempotency-Key` and replay that answer (DESIGN.md §5). */
  readonly idempotent?: boolean;
  /** Operators' routes only admins may call (companies and keys); others get 403. */
  readonly role?: 'admin';
  readonly doc: OperationDoc | null;
}

/** Declares a route, keeping its literal types (the handler's body and query types come from here). */
export const route = <const R extends RouteDecl>(r: R): R => r;

export interface QueueDecl {
  /** Seconds a received message stays invisible; must exceed the consumer's heartbeat/processing time. */
  readonly visibilityTimeoutSeconds: number;
  /** Receives before a message moves to the queue's DLQ. */
  readonly maxReceiveCount: number;
  /** Who consumes it: a Lambda function (with its SQS event source) or the calculator container. */
  readonly consumer:
    | { readonly kind: 'lambda'; readonly fn: string; readonly entry: string; readonly batchSize: number }
    | { readonly kind: 'container'; readonly name: 'calculator' };
}

export interface SubscriptionDecl {
  readonly topic: string;
  readonly queue: string;
  /** SNS filter policy on the `type` message attribute; omitted means every event. */
  readonly eventTypes?: readonly string[];
}

/** A DynamoDB stream and the one function that reads it (Lambda's stream event source; locally a poller). */
export interface StreamDecl {
  readonly table: string;
  /** Only records whose new image's sort key starts with this are delivered (an event-source filter). */
  readonly sortKeyPrefix: string;
  readonly consumer: {
    readonly fn: string;
    readonly entry: string;
    readonly batchSize: number;
    /** Attempts of a failing batch (halved on each failure) before its records go to the failure queue. */
    readonly retryAttempts: number;
  };
}
