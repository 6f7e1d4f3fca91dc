import type { Problem } from '@facet/contracts';
import { PROBLEM_KINDS, type ProblemKind, problemType } from '@facet/contracts/problems';
import type { DomainErrorKind, FieldIssue } from '@facet/domain/errors';

/** The problem catalogue, checked here to cover every domain error kind. */
export const PROBLEMS: Readonly<
  Record<
    DomainErrorKind | 'internal' | 'bad_request' | 'rate_limited' | 'unsupported_media_type',
    { status: number; title: string }
  >
> = PROBLEM_KINDS;

export { type ProblemKind, problemType };

export function problemBody(
  kind: ProblemKind,
  detail: string,
  extra: {
    instance?: string;
    correlationId?: string;
    errors?: readonly FieldIssue[];
    details?: Readonly<Record<string, unknown>>;
  } = {},
): Problem {
  const { status, title } = PROBLEMS[kind];
  return {
    ...extra.details,
    type: problemType(kind),
    title,
    status,
    detail,
    ...(extra.instance ? { instance: extra.instance } : {}),
    ...(extra.correlationId ? { correlationId: extra.correlationId } : {}),
    ...(extra.errors?.length ? { errors: [...extra.errors] } : {}),
  };
}
