import type { FieldIssue } from '@facet/domain/errors';
import type { ProblemKind } from '../problem.ts';

/** A refusal decided by the bundle itself (authentication, media type, parsing), answered as problem+json. */
export class HttpProblem extends Error {
  constructor(
    readonly kind: ProblemKind,
    message: string,
    readonly errors: readonly FieldIssue[] = [],
  ) {
    super(message);
    this.name = 'HttpProblem';
  }
}
