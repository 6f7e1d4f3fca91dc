import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildBvh } from './bvh.ts';
import { to3mf, toAsciiStl, toBinaryStl, toObj } from './encode.ts';
import { Deadline, ModelError, resolveLimits } from './errors.ts';
import { findSelfIntersections } from './intersect.ts';
import { computeMetrics } from './metrics.ts';
import { parseModel } from './parse.ts';
import { renderThumbnail } from './render.ts';
import { sphere } from './shapes.ts';
import { sliceMesh } from './slice.ts';
import { repairMesh } from './topology.ts';
import { measureWalls } from './wall.ts';
import { weld } from './weld.ts';

/** Tight caps so that every run is bounded in time and memory. */
const limits = resolveLimits({
  maxBytes: 1 << 20,
  maxTriangles: 20_000,
  maxInflatedBytes: 4 << 20,
  maxMillis: 2_000,
  maxSliceSegments: 2_000_000,
});

/** The whole engine on untrusted bytes: returns normally or throws ModelError; anything else fails the test. */
const pipeline = (bytes: Uint8Array): void => {
  const deadline = new Deadline(limits.maxMillis);
  const parsed = parseModel(bytes, { limits, deadline });
  const fixed = repairMesh(weld(parsed, 1e-4, deadline), {}, deadline);
  computeMetrics(fixed.mesh);
  const bvh = buildBvh(fixed.mesh);
  findSelfIntersections(fixed.mesh, bvh, 200);
  measureWalls(fixed.mesh, bvh, {}, deadline);
  sliceMesh(fixed.mesh, { layerHeightMm: 0.05, edges: fixed.edges, maxSegments: limits.maxSliceSegments }, deadline);
  renderThumbnail(fixed.mesh, { size: 32 }, deadline);
};

const outcomes = { ok: 0, typed: 0 };
const onlyTypedErrors = (bytes: Uint8Array): void => {
  try {
    pipeline(bytes);
    outcomes.ok++;
  } catch (e) {
    outcomes.typed++;
    if (!(e instanceof ModelError)) throw e;
    expect(e.message.length).toBeGreaterThan(10);
  }
};

const seeds = (() => {
  const s = sphere(3, 12, 6);
  return [toBinaryStl(s), toAsciiStl(s), toObj(s), toObj(s, true), to3mf(s)];
})();

/** Mutations: overwrite bytes, truncate, splice random bytes in, duplicate a slice, write a random u32. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), values: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    values: fc.uint8Array({ minLength: 1, maxLength: 16 }),
  }),
  fc.record({ kind: fc.constant('repeat' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 200 }) }),
  fc.record({
    kind: fc.constant('u32' as const),
    at: fc.nat(),
    value: fc.constantFrom(0, 1, 0x7fffffff, 0xffffffff, 0x7fc00000, 0x7f800000),
  }),
  fc.record({
    kind: fc.constant('text' as const),
    at: fc.nat(),
    value: fc.constantFrom(
      'nan',
      '-inf',
      '1e308',
      '-0',
      'f 1 2 99',
      'v 1 2',
      '<!DOCTYPE',
      '../',
      'solid',
      '\n',
      '/',
      '-1',
    ),
  }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

const apply = (src: Uint8Array, muts: Mutation[]): Uint8Array => {
  let b = src.slice();
  for (const m of muts) {
    const at = b.length === 0 ? 0 : m.at % b.length;
    switch (m.kind) {
      case 'set':
        b.set(m.values.subarray(0, Math.max(0, b.length - at)), at);
        break;
      case 'truncate':
        b = b.slice(0, at);
        break;
      case 'insert': {
        const n = new Uint8Array(b.length + m.values.length);
        n.set(b.subarray(0, at));
        n.set(m.values, at);
        n.set(b.subarray(at), at + m.values.length);
        b = n;
        break;
      }
      case 'repeat': {
        const piece = b.slice(at, at + m.len);
        const n = new Uint8Array(b.length + piece.length);
        n.set(b.subarray(0, at + piece.length));
        n.set(piece, at + piece.length);
        n.set(b.subarray(at + piece.length), at + 2 * piece.length);
        b = n;
        break;
      }
      case 'u32':
        if (at + 4 <= b.length) new DataView(b.buffer).setUint32(at, m.value, true);
        break;
      case 'text': {
        const t = new TextEncoder().encode(m.value);
        b.set(t.subarray(0, Math.max(0, b.length - at)), at);
        break;
      }
    }
  }
  return b;
};

describe('fuzz: mutated model files', () => {
  it.each(['binary STL', 'ASCII STL', 'OBJ', 'OBJ (negative indices)', '3MF'].map((n, i) => [n, i] as const))(
    '%s: only typed errors, never a crash or a hang',
    (_name, i) => {
      const seed = seeds[i] ?? new Uint8Array(0);
      fc.assert(
        fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (muts) => {
          const started = performance.now();
          onlyTypedErrors(apply(seed, muts));
          // The deadline is 2 s; allow slack for a loaded 2-core machine.
          expect(performance.now() - started).toBeLessThan(5_000);
        }),
        { numRuns: 300, seed: 42 + i },
      );
    },
    60_000,
  );

  it('exercised the whole pipeline, not just the readers', () => {
    // A fuzz run where every input fails early would prove little: many mutants must get through.
    expect(outcomes.ok).toBeGreaterThan(100);
    expect(outcomes.typed).toBeGreaterThan(100);
  });

  it('random bytes are described as such, never taken for a damaged STL', () => {
    // Uniform noise (fast-check's byte arrays lean to small values, which read as tiny floats): 8 whole records.
    const noise = (seed: number, length: number): Uint8Array => {
      let x = seed >>> 0 || 1;
      return Uint8Array.from({ length }, () => {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        return (x >>> 0) & 0xff;
      });
    };
    fc.assert(
      fc.property(fc.integer({ min: 1 }), fc.integer({ min: 84 + 8 * 50, max: 8192 }), (seed, length) => {
        let code = 'no error';
        try {
          parseModel(noise(seed, length), { limits });
        } catch (e) {
          if (!(e instanceof ModelError)) throw e;
          code = e.code;
          expect(e.message).toContain('We accept STL (binary or ASCII), OBJ and 3MF files.');
        }
        expect(code).toBe('not_a_model');
      }),
      { numRuns: 300, seed: 11 },
    );
  });

  it('random bytes: only typed errors', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => onlyTypedErrors(bytes)),
      { numRuns: 200, seed: 7 },
    );
  });
});
