import type { APIGatewayAuthorizerResult, PolicyDocument } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { AuthorizerCache, policyAllows } from './authorizer-cache.ts';

const STAGE = 'arn:aws:execute-api:us-east-1:000000000000:api1/local';
const answer = (effect: 'Allow' | 'Deny', resource: string | string[]): APIGatewayAuthorizerResult => ({
  principalId: 'op-1',
  policyDocument: {
    Version: '2012-10-17',
    Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }],
  },
});

describe("the local gateway's authorizer cache", () => {
  it('keeps an answer per identity for the cache time, and none when the time is 0', () => {
    let now = Date.parse('2026-12-04T10:00:00Z');
    const cache = new AuthorizerCache(() => now);
    const allow = answer('Allow', `${STAGE}/*`);
    cache.set('operators\ntoken-a', allow, 60);
    cache.set('clients\nkey-a', allow, 0);
    expect(cache.get('operators\ntoken-a')).toBe(allow);
    expect(cache.get('operators\ntoken-b')).toBeUndefined();
    expect(cache.get('clients\nkey-a')).toBeUndefined();
    now += 60_000;
    expect(cache.get('operators\ntoken-a')).toBeUndefined();
  });

  it('lets the oldest answers go past its size', () => {
    const cache = new AuthorizerCache(Date.now, 2);
    for (const token of ['a', 'b', 'c']) cache.set(token, answer('Allow', '*'), 60);
    expect(['a', 'b', 'c'].map((t) => cache.get(t) !== undefined)).toEqual([false, true, true]);
  });
});

describe('policy evaluation', () => {
  it("applies a stage-wide answer to each of the stage's routes, and nothing else", () => {
    const policy = answer('Allow', `${STAGE}/*`).policyDocument;
    expect(policyAllows(policy, `${STAGE}/GET/ops/board`)).toBe(true);
    expect(policyAllows(policy, `${STAGE}/POST/ops/orders/ord_1/actions`)).toBe(true);
    expect(policyAllows(policy, 'arn:aws:execute-api:us-east-1:000000000000:api1/prod/GET/ops/board')).toBe(false);
  });

  it('refuses what a Deny names even when an Allow names it too, and what no statement names', () => {
    const policy: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [
        { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: `${STAGE}/*` },
        { Action: 'execute-api:Invoke', Effect: 'Deny', Resource: [`${STAGE}/POST/ops/compan?es`] },
      ],
    };
    expect(policyAllows(policy, `${STAGE}/POST/ops/companies`)).toBe(false);
    expect(policyAllows(policy, `${STAGE}/GET/ops/companies`)).toBe(true);
    expect(policyAllows(answer('Allow', `${STAGE}/GET/ops/me`).policyDocument, `${STAGE}/GET/ops/board`)).toBe(false);
  });
});
