import { DomainError } from '../errors.ts';

/** The DomainError a promise rejects with (fails the test if it resolves or throws anything else). */
export async function failure(promise: Promise<unknown>): Promise<DomainError> {
  const outcome = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(outcome instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(outcome)}`);
  return outcome;
}
