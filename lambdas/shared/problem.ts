import type { Problem } from '@facet/contracts';
import type { DomainErrorKind, FieldIssue } from '@facet/domain/errors';

/** The one table from error kind to HTTP status and problem type (RFC 9457). */
export const PROBLEMS: Readonly<
  Record<DomainErrorKind | 'internal' | 'bad_request', { status: number; title: string }>
> = {
  validation: { status: 400, title: 'The request is not valid' },
  bad_request: { status: 400, title: 'The request could not be read' },
  unauthenticated: { status: 401, title: 'Authentication is required' },
  forbidden: { status: 403, title: 'Access is denied' },
  not_found: { status: 404, title: 'Not found' },
  conflict: { status: 409, title: 'The request conflicts with the current state' },
  upload_incomplete: { status: 409, title: 'The upload is incomplete' },
  idempotency_mismatch: { status: 422, title: 'The idempotency key was used with another request' },
  internal: { status: 500, title: 'Internal error' },
};

export type ProblemKind = keyof typeof PROBLEMS;

export const problemType = (kind: ProblemKind) => `https://facet.dev/problems/${kind.replaceAll('_', '-')}`;

export function problemBody(
  kind: ProblemKind,
  detail: string,
  extra: { instance?: string; correlationId?: string; errors?: readonly FieldIssue[] } = {},
): Problem {
  const { status, title } = PROBLEMS[kind];
  return {
    type: problemType(kind),
    title,
    status,
    detail,
    ...(extra.instance ? { instance: extra.instance } : {}),
    ...(extra.correlationId ? { correlationId: extra.correlationId } : {}),
    ...(extra.errors?.length ? { errors: [...extra.errors] } : {}),
  };
}
