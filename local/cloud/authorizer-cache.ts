import type { APIGatewayAuthorizerResult, PolicyDocument } from 'aws-lambda';

/**
 * API Gateway's authorizer cache, locally: an authorizer's answer kept per identity (the audience and its identity
 * header's value) for the authorizer's cache time. Refusals that are errors (401) are not kept, as on AWS.
 */
export class AuthorizerCache {
  private readonly entries = new Map<string, { result: APIGatewayAuthorizerResult; until: number }>();

  constructor(
    private readonly clock: () => number = Date.now,
    /** Past this many identities the oldest answers go first (a client sending random tokens grows nothing). */
    private readonly maxEntries = 10_000,
  ) {}

  get(identity: string): APIGatewayAuthorizerResult | undefined {
    const entry = this.entries.get(identity);
    if (!entry) return undefined;
    if (entry.until > this.clock()) return entry.result;
    this.entries.delete(identity);
    return undefined;
  }

  set(identity: string, result: APIGatewayAuthorizerResult, seconds: number): void {
    if (seconds <= 0) return;
    this.entries.delete(identity);
    this.entries.set(identity, { result, until: this.clock() + seconds * 1000 });
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(oldest);
    }
  }
}

/**
 * Whether a policy lets the caller invoke `methodArn`, as API Gateway evaluates an authorizer's policy: a Deny
 * whose resource matches wins, else an Allow whose resource matches; `*` in a resource matches any run of
 * characters and `?` one.
 */
export function policyAllows(policy: PolicyDocument, methodArn: string): boolean {
  const matching = policy.Statement.filter((s) => {
    const resources = 'Resource' in s ? [s.Resource ?? []].flat() : [];
    return resources.some((r) => arnPattern(r).test(methodArn));
  });
  if (matching.some((s) => s.Effect === 'Deny')) return false;
  return matching.some((s) => s.Effect === 'Allow');
}

const arnPattern = (resource: string) =>
  new RegExp(
    `^${resource
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
