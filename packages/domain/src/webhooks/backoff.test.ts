import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF_SECONDS, maxAttempts, queueDelaySeconds, retryDelaySeconds } from './backoff.ts';

describe('webhook backoff', () => {
  it('waits longer after each failure: 30 s, 2 min, 10 min, 1 h, 6 h, 12 h, 24 h, then gives up', () => {
    const waits = Array.from({ length: 8 }, (_, i) => retryDelaySeconds(i + 1));
    expect(waits).toEqual([30, 120, 600, 3600, 21600, 43200, 86400, undefined]);
    expect(maxAttempts()).toBe(8);
  });

  it('grows monotonically', () => {
    for (let i = 1; i < DEFAULT_BACKOFF_SECONDS.length; i++)
      expect(DEFAULT_BACKOFF_SECONDS[i]).toBeGreaterThan(DEFAULT_BACKOFF_SECONDS[i - 1] ?? 0);
  });

  it('follows an overriding schedule (tests), attempts and all', () => {
    expect(retryDelaySeconds(1, [1, 2])).toBe(1);
    expect(retryDelaySeconds(2, [1, 2])).toBe(2);
    expect(retryDelaySeconds(3, [1, 2])).toBeUndefined();
    expect(maxAttempts([1, 2])).toBe(3);
  });

  it('caps a queue delay at SQS’s 15 minutes and rounds up to whole seconds', () => {
    expect(queueDelaySeconds(3600)).toBe(900);
    expect(queueDelaySeconds(29.2)).toBe(30);
    expect(queueDelaySeconds(-5)).toBe(0);
  });
});
