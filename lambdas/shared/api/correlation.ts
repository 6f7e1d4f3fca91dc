import { randomUUID } from 'node:crypto';
import { logger } from '../observability.ts';
import { type ApiMiddleware, headerOf, stateOf } from './state.ts';

/**
 * One correlation id from the request to the last notification: the caller's `x-correlation-id`, else API
 * Gateway's request id. Every log line of the invocation carries it and the route (keys reset per invocation).
 */
export const correlation = (): ApiMiddleware => ({
  before: (request) => {
    const { event } = request;
    const correlationId = headerOf(event, 'x-correlation-id') ?? event.requestContext?.requestId ?? randomUUID();
    stateOf(request).correlationId = correlationId;
    logger.appendKeys({ correlationId, route: `${event.httpMethod} ${event.resource}` });
  },
});
