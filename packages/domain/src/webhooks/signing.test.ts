import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateSecret, sign, signedHeaders, verify } from './signing.ts';

describe('Standard Webhooks signing', () => {
  it('signs "id.timestamp.body" with HMAC-SHA256 keyed by the base64-decoded secret', () => {
    // Prepare: a vector computed here with node:crypto, independent of the module
    const key = Buffer.from('facet-test-key-0123456789abcdef!');
    const secret = `whsec_${key.toString('base64')}`;
    const body = '{"type":"order.created","data":{"orderId":"ord_1"}}';
    const expected = createHmac('sha256', key).update(`whd_1.1700000000.${body}`).digest('base64');
    // Act
    const signature = sign(secret, 'whd_1', 1700000000, body);
    // Assess
    expect(signature).toBe(`v1,${expected}`);
  });

  it("matches the specification's published example", () => {
    const signature = sign(
      'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      'msg_p5jXN8AQM9LWM0D4loKWxJek',
      1614265330,
      '{"test": 2432232314}',
    );
    expect(signature).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('puts one signature per secret in the header, space-separated, current secret first', () => {
    const [current, previous] = [generateSecret(), generateSecret()];
    const headers = signedHeaders([current, previous], 'whd_2', 1700000000, '{}');
    expect(headers['webhook-id']).toBe('whd_2');
    expect(headers['webhook-timestamp']).toBe('1700000000');
    expect(headers['webhook-signature'].split(' ')).toEqual([
      sign(current, 'whd_2', 1700000000, '{}'),
      sign(previous, 'whd_2', 1700000000, '{}'),
    ]);
  });

  it('verifies with either secret during a rotation, and refuses a changed body, another secret or an old timestamp', () => {
    const [current, previous, other] = [generateSecret(), generateSecret(), generateSecret()];
    const now = 1700000000_000;
    const h = signedHeaders([current, previous], 'whd_3', 1700000000, '{"a":1}');
    const headers = { id: h['webhook-id'], timestamp: h['webhook-timestamp'], signature: h['webhook-signature'] };
    expect(verify(current, headers, '{"a":1}', now)).toBe(true);
    expect(verify(previous, headers, '{"a":1}', now)).toBe(true);
    expect(verify(other, headers, '{"a":1}', now)).toBe(false);
    expect(verify(current, headers, '{"a":2}', now)).toBe(false);
    expect(verify(current, headers, '{"a":1}', now + 301_000)).toBe(false);
  });

  it('makes secrets of 32 random bytes behind whsec_', () => {
    const secret = generateSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(generateSecret()).not.toBe(secret);
  });
});
