import type { Audience } from '@facet/wiring';
import { logger } from '../observability.ts';
import { HttpProblem } from './http-problem.ts';
import { type ApiMiddleware, stateOf } from './state.ts';

/**
 * Who is calling, from the authorizer's context only (never from a header, the body or the path): the company and
 * its key's space for the clients audience. The authorizer already refused anyone else; this refuses a request
 * that reached the handler without its context (a misconfigured route), never trusting it blindly.
 */
const callers: { readonly [A in Audience]: ApiMiddleware } = {
  clients: {
    before: (request) => {
      const context = request.event.requestContext?.authorizer;
      const tenantId = context?.tenantId;
      if (typeof tenantId !== 'string' || tenantId === '') {
        throw new HttpProblem('unauthenticated', 'No company in the request context.');
      }
      const ip = request.event.requestContext?.identity?.sourceIp;
      const keyId = typeof context?.keyId === 'string' ? context.keyId : undefined;
      const caller = {
        tenantId,
        sandbox: context?.keyKind === 'sandbox',
        actor: { kind: 'client' as const, ...(keyId ? { id: keyId } : {}), ...(ip ? { ip } : {}) },
      };
      stateOf(request).caller = caller;
      logger.appendKeys({ tenantId, sandbox: caller.sandbox });
    },
  },
  operators: {
    before: (request) => {
      const context = request.event.requestContext?.authorizer;
      const sub = context?.sub;
      const role = context?.role;
      if (typeof sub !== 'string' || sub === '' || (role !== 'operator' && role !== 'admin')) {
        throw new HttpProblem('unauthenticated', 'No signed-in operator in the request context.');
      }
      const email = typeof context?.email === 'string' ? context.email : '';
      const ip = request.event.requestContext?.identity?.sourceIp;
      stateOf(request).operator = { sub, email, role, ...(ip ? { ip } : {}) };
      logger.appendKeys({ operator: sub, role });
    },
  },
  public: { before: () => undefined },
};

/** Routes declared `role: 'admin'` (companies and keys) refuse operators who are not admins. */
export const adminOnly = (): ApiMiddleware => ({
  before: (request) => {
    if (stateOf(request).operator?.role !== 'admin') {
      throw new HttpProblem('forbidden', 'Only admins manage companies and their keys.');
    }
  },
});

export const callerOf = (audience: Audience): ApiMiddleware => callers[audience];
