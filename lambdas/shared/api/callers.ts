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
      const caller = { tenantId, sandbox: context?.keyKind === 'sandbox' };
      stateOf(request).caller = caller;
      logger.appendKeys({ tenantId, sandbox: caller.sandbox });
    },
  },
  public: { before: () => undefined },
};

export const callerOf = (audience: Audience): ApiMiddleware => callers[audience];
