import type { EventActor } from '@facet/contracts';

/** A signed-in member of the workshop, from the operators' authorizer (never from a body). */
export interface Operator {
  readonly sub: string;
  readonly email: string;
  readonly role: 'operator' | 'admin';
  /** Where the request came from, for the audit log. */
  readonly ip?: string;
}

export const actorOf = (operator: Operator): EventActor => ({
  kind: 'operator',
  id: operator.sub,
  email: operator.email,
  ...(operator.ip ? { ip: operator.ip } : {}),
});
