/**
 * Every problem kind the API answers with (RFC 9457): its HTTP status, title and stable `type` URI. Handlers map
 * domain errors through it (lambdas/shared/problem.ts) and the OpenAPI document lists it per operation.
 */
export const PROBLEM_KINDS = {
  validation: { status: 400, title: 'The request is not valid' },
  bad_request: { status: 400, title: 'The request could not be read' },
  unauthenticated: { status: 401, title: 'Authentication is required' },
  forbidden: { status: 403, title: 'Access is denied' },
  not_found: { status: 404, title: 'Not found' },
  conflict: { status: 409, title: 'The request conflicts with the current state' },
  upload_incomplete: { status: 409, title: 'The upload is incomplete' },
  quote_changed: { status: 409, title: 'The quote has changed' },
  unsupported_media_type: { status: 415, title: 'The body must be JSON' },
  idempotency_mismatch: { status: 422, title: 'The idempotency key was used with another request' },
  rate_limited: { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Internal error' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemKind = keyof typeof PROBLEM_KINDS;

export const problemType = (kind: ProblemKind) => `https://facet.dev/problems/${kind.replaceAll('_', '-')}`;
