/**
 * Domain errors. Each kind maps to one HTTP status and one problem `type` in lambdas/shared/problem.ts; the
 * message is written for the API client and is safe to show.
 */
export type DomainErrorKind =
  | 'validation'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'idempotency_mismatch'
  | 'upload_incomplete'
  | 'quote_changed';

export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    readonly fields: readonly FieldIssue[] = [],
    /** Extension members of the problem body (RFC 9457 §3.2), e.g. the new quote of a `quote_changed`. */
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string) => new DomainError('not_found', `${what} was not found.`);
export const conflict = (message: string) => new DomainError('conflict', message);
export const invalid = (message: string, fields: readonly FieldIssue[] = []) =>
  new DomainError('validation', message, fields);

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;

/** A stored object over the size we read (a client uploaded more than it may): never read, never retried. */
export class ObjectTooLarge extends Error {
  constructor(
    readonly size: number,
    readonly limit: number,
  ) {
    super(`The object is ${size} bytes, over the limit of ${limit}.`);
    this.name = 'ObjectTooLarge';
  }
}
