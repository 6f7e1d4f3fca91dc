import { describe, expect, it } from 'vitest';
import { LocalUsagePlan } from './usage-plan.ts';

describe('the local usage plan', () => {
  it('lets a burst through, then throttles until tokens refill', () => {
    let now = Date.parse('2026-11-24T10:00:00Z');
    const plan = new LocalUsagePlan({ rateLimit: 2, burstLimit: 3, quotaPerDay: 100 }, () => now);
    expect([1, 2, 3].map(() => plan.admit('k').ok)).toEqual([true, true, true]);
    expect(plan.admit('k')).toEqual({ ok: false, reason: 'throttled', retryAfterSeconds: 1 });
    expect(plan.admit('other').ok).toBe(true);
    now += 500;
    expect(plan.admit('k').ok).toBe(true);
  });

  it('stops a key at its daily quota until midnight UTC, and reports use per day', () => {
    let now = Date.parse('2026-11-24T23:59:00Z');
    const plan = new LocalUsagePlan({ rateLimit: 1000, burstLimit: 1000, quotaPerDay: 2 }, () => now);
    plan.admit('k');
    plan.admit('k');
    expect(plan.admit('k')).toEqual({ ok: false, reason: 'quota', retryAfterSeconds: 60 });
    expect(plan.usage('2026-11-24', '2026-11-24', 'k')).toEqual({ k: [[2, 0]] });
    now += 61_000;
    expect(plan.admit('k').ok).toBe(true);
    expect(plan.usage('2026-11-24', '2026-11-25', 'k')).toEqual({
      k: [
        [2, 0],
        [1, 1],
      ],
    });
  });
});
