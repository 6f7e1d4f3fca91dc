import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { to3mf, toAsciiStl, toBinaryStl, toObj } from './encode.ts';
import { ModelError } from './errors.ts';
import type { ParsedModel } from './mesh.ts';
import { type ParseOptions, parseModel, parseModelSource } from './parse.ts';
import { box, sphere } from './shapes.ts';
import { type ByteSource, bytesSource } from './source.ts';

/** A source that hands out at most `step` bytes per read, like a pipe or a slow disk. */
const trickle = (bytes: Uint8Array, step: number): ByteSource => {
  const inner = bytesSource(bytes);
  return { size: inner.size, readAt: (target, position) => inner.readAt(target.subarray(0, step), position) };
};

type Outcome = { error: string; detail: unknown } | ParsedModel;
const outcome = (read: () => ParsedModel): Outcome => {
  try {
    return read();
  } catch (e) {
    if (e instanceof ModelError) return { error: e.code, detail: e.detail };
    throw e;
  }
};
const bothWays = (bytes: Uint8Array, opts: ParseOptions = {}, step = 4093): [Outcome, Outcome] => [
  outcome(() => parseModel(bytes, opts)),
  outcome(() => parseModelSource(trickle(bytes, step), opts)),
];

describe('parseModelSource: the chunked reader agrees with parseModel', () => {
  const cube = box(10, 10, 10);

  it.each([
    ['binary STL', toBinaryStl(cube)],
    ['ASCII STL', toAsciiStl(cube)],
    ['OBJ', toObj(cube)],
    ['3MF', to3mf(cube)],
  ] as const)('reads %s', (_name, bytes) => {
    // Act
    const [whole, chunked] = bothWays(bytes);
    // Assess
    expect(chunked).toEqual(whole);
  });

  it('welds a binary STL that spans several chunks, read a few bytes at a time', () => {
    // Prepare: ~180k triangles, more than two 80k-record chunks.
    const bytes = toBinaryStl(sphere(5, 600, 150));
    // Act
    const [whole, chunked] = bothWays(bytes, {}, 65_521);
    // Assess
    expect('indices' in whole && whole.indices.length).toBeGreaterThan(3 * 160_000);
    expect(chunked).toEqual(whole);
  });

  const stl = toBinaryStl(cube);
  const withU32 = (at: number, value: number): Uint8Array => {
    const b = stl.slice();
    new DataView(b.buffer).setUint32(at, value, true);
    return b;
  };
  it.each([
    ['an empty file', new Uint8Array(0), {}],
    ['a file over the byte cap', stl, { limits: { maxBytes: 100 } }],
    ['a truncated binary STL', stl.subarray(0, stl.length - 20), {}],
    ['a header shorter than 84 bytes', stl.subarray(0, 60), {}],
    ['a count larger than the file', withU32(80, 1000), {}],
    ['a count smaller than the file', withU32(80, 3), {}],
    ['a count of 0xFFFFFFFF', withU32(80, 0xffffffff), {}],
    ['a count of 0', stl.subarray(0, 84).map((v, i) => (i >= 80 ? 0 : v)), {}],
    ['a NaN coordinate', withU32(84 + 50 * 7 + 24, 0x7fc00000), {}],
    ['an infinite coordinate', withU32(84 + 50 * 3 + 16, 0xff800000), {}],
    ['a coordinate beyond the limit', withU32(84 + 50 * 5 + 40, 0x4b000000), {}],
    ['too many triangles', stl, { limits: { maxTriangles: 5 } }],
  ] as const)('rejects %s with the same error', (_name, bytes, opts) => {
    // Act
    const [whole, chunked] = bothWays(bytes, opts);
    // Assess
    expect('error' in whole).toBe(true);
    expect(chunked).toEqual(whole);
  });

  it('reports a file that shrinks while it is read as truncated', () => {
    // Prepare: the size promises the whole file, the reads stop half-way.
    const inner = bytesSource(stl.subarray(0, 84 + 50 * 6));
    const shrinking: ByteSource = { size: stl.length, readAt: (t, p) => inner.readAt(t, p) };
    // Act / Assess
    expect(outcome(() => parseModelSource(shrinking))).toMatchObject({ error: 'truncated_stl' });
  });

  it('agrees on mutated binary STLs', () => {
    const seed = toBinaryStl(sphere(3, 12, 6));
    const edit = fc.oneof(
      fc.record({ at: fc.nat(), value: fc.constantFrom(0, 1, 0x7fffffff, 0xffffffff, 0x7fc00000, 0x80000000) }),
      fc.record({ cut: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 300 }), (edits, step) => {
        let b = seed.slice();
        for (const e of edits) {
          if ('cut' in e) b = b.slice(0, e.cut % (b.length + 1));
          else if (b.length >= 4) new DataView(b.buffer).setUint32(e.at % (b.length - 3), e.value, true);
        }
        const [whole, chunked] = bothWays(b, {}, step);
        expect(chunked).toEqual(whole);
      }),
      { numRuns: 300, seed: 11 },
    );
  });
});
