import { crc32, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32Combine, PartwiseGzip } from './gzip-parts.ts';

describe('PartwiseGzip', () => {
  it('makes one gzip stream of the joined parts, multi-byte text included', () => {
    // Prepare
    const parts = ['{"cards":[', '{"company":"Orfèvre & Fils"}', ',', '{"reference":"PO-<b>1</b>"}', ']}'];
    // Act
    const zipped = new PartwiseGzip().gzip(parts);
    // Assess
    expect(gunzipSync(zipped).toString('utf8')).toBe(parts.join(''));
  });

  it('answers each new body whole when its parts stay, change, repeat or go', () => {
    // Prepare: a large part that stays, small ones that change.
    const gzip = new PartwiseGzip();
    const big = JSON.stringify(Array.from({ length: 5000 }, (_, i) => ({ id: `ord_${i}`, alloy: 'au750y' })));
    gzip.gzip(['[', big, ',', '{"at":1}', ']']);
    // Act
    const changed = gzip.gzip(['[', big, ',', '{"at":2}', ']']);
    const repeated = gzip.gzip(['[', big, ',', big, ']']);
    const gone = gzip.gzip(['[', '{"at":3}', ']']);
    // Assess: each is its own body, the same bytes as a fresh compression of it, a fraction of its size.
    expect(gunzipSync(changed).toString('utf8')).toBe(`[${big},{"at":2}]`);
    expect(changed.equals(new PartwiseGzip().gzip(['[', big, ',', '{"at":2}', ']']))).toBe(true);
    expect(gunzipSync(repeated).toString('utf8')).toBe(`[${big},${big}]`);
    expect(gunzipSync(gone).toString('utf8')).toBe('[{"at":3}]');
    expect(changed.length).toBeLessThan(big.length / 5);
  });

  it('gzips an empty body', () => {
    expect(gunzipSync(new PartwiseGzip().gzip([])).toString('utf8')).toBe('');
  });

  it("combines two parts' CRC-32 into the CRC-32 of both, whatever their lengths", () => {
    for (const [a, b] of [
      ['', ''],
      ['{"cards":[', ''],
      ['', ']}'],
      ['Orfèvre & Fils', 'x'.repeat(70_001)],
      ['y'.repeat(4_500_000), '{"at":1}'],
    ] as const) {
      const [bytesA, bytesB] = [Buffer.from(a), Buffer.from(b)];
      expect(crc32Combine(crc32(bytesA), crc32(bytesB), bytesB.length)).toBe(crc32(Buffer.concat([bytesA, bytesB])));
    }
  });
});
