import { createHash } from 'node:crypto';
import { cleanupMiddlewares } from '@aws-lambda-powertools/commons';
import type { IdempotencyStore } from '@facet/domain/ports';
import { HttpProblem } from './http-problem.ts';
import { type ApiMiddleware, type ApiRequest, headerOf, stateOf } from './state.ts';

/**
 * `Idempotency-Key` on the POSTs a route declares idempotent (DESIGN.md §5): the first request with a key runs;
 * the same key with the same request gets the first answer again (`idempotent-replayed: true`), with another
 * request 422. Answers of our own failures (5xx) are not kept, so the retry runs again. Keys live per company and
 * key space (the sandbox has its own).
 */
export const idempotency = (store: IdempotencyStore): ApiMiddleware => {
  const begun = new WeakMap<ApiRequest, { scope: string; key: string }>();
  const settle = async (request: ApiRequest) => {
    const claim = begun.get(request);
    if (!claim) return;
    begun.delete(request);
    const response = request.response;
    if (!response || response.statusCode >= 500) {
      await store.abandon(claim.scope, claim.key);
      return;
    }
    await store.complete(claim.scope, claim.key, {
      statusCode: response.statusCode,
      headers: (response.headers ?? {}) as Record<string, string>,
      body: response.body,
    });
  };
  return {
    before: async (request) => {
      const key = headerOf(request.event, 'idempotency-key');
      const caller = stateOf(request).caller;
      if (!key || !caller || request.event.httpMethod !== 'POST') return undefined;
      if (key.length > 255 || !/^[\x21-\x7e]+$/.test(key)) {
        throw new HttpProblem('validation', 'The Idempotency-Key header must be 1–255 visible ASCII characters.', [
          { path: 'headers.idempotency-key', message: 'invalid' },
        ]);
      }
      const scope = caller.sandbox ? `${caller.tenantId}#sandbox` : caller.tenantId;
      const { event } = request;
      const fingerprint = createHash('sha256')
        .update(`${event.httpMethod} ${event.path}\n${canonicalBody(event.body)}`)
        .digest('hex');
      const state = await store.begin(scope, key, fingerprint);
      if (state.state === 'mismatch') {
        throw new HttpProblem(
          'idempotency_mismatch',
          'This Idempotency-Key was used with another request; use a new key for a new request.',
        );
      }
      if (state.state === 'in_progress') {
        throw new HttpProblem(
          'conflict',
          'A request with this Idempotency-Key is still being processed; retry in a moment.',
        );
      }
      if (state.state === 'replay') {
        // An early answer skips the later middlewares: let Powertools' own ones finish (flush, reset) first.
        await cleanupMiddlewares(request);
        return { ...state.response, headers: { ...state.response.headers, 'idempotent-replayed': 'true' } };
      }
      begun.set(request, { scope, key });
      return undefined;
    },
    after: settle,
    // Runs after the problem handler (registered later) has turned the error into its response.
    onError: settle,
  };
};

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
