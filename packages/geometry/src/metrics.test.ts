import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IndexedMesh } from './mesh.ts';
import { computeMetrics } from './metrics.ts';
import { box, sphere, torus } from './shapes.ts';
import { sliceMesh } from './slice.ts';

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

/** Rotates (unit quaternion from three angles) and translates a mesh; returns a new mesh. */
const transform = (m: IndexedMesh, ax: number, ay: number, az: number, t: [number, number, number]): IndexedMesh => {
  const [cx, sx, cy, sy, cz, sz] = [Math.cos(ax), Math.sin(ax), Math.cos(ay), Math.sin(ay), Math.cos(az), Math.sin(az)];
  const out = new Float32Array(m.positions.length);
  for (let i = 0; i < m.positions.length; i += 3) {
    let x = m.positions[i] ?? 0;
    let y = m.positions[i + 1] ?? 0;
    let z = m.positions[i + 2] ?? 0;
    [y, z] = [y * cx - z * sx, y * sx + z * cx];
    [x, z] = [x * cy + z * sy, -x * sy + z * cy];
    [x, y] = [x * cz - y * sz, x * sz + y * cz];
    out[i] = x + t[0];
    out[i + 1] = y + t[1];
    out[i + 2] = z + t[2];
  }
  return { positions: out, indices: m.indices };
};

const dim = fc.double({ min: 0.5, max: 40, noNaN: true });
const angle = fc.double({ min: -Math.PI, max: Math.PI, noNaN: true });
const offset = fc.double({ min: -200, max: 200, noNaN: true });

describe('metrics against analytic shapes', () => {
  it('cube/box: volume and area exact', () => {
    fc.assert(
      fc.property(dim, dim, dim, (a, b, c) => {
        // Act
        const m = computeMetrics(box(a, b, c));
        // Assess (float32 coordinates)
        expect(rel(m.volumeMm3, Math.fround(a) * Math.fround(b) * Math.fround(c))).toBeLessThan(1e-5);
        expect(
          rel(
            m.areaMm2,
            2 * (Math.fround(a) * Math.fround(b) + Math.fround(b) * Math.fround(c) + Math.fround(a) * Math.fround(c)),
          ),
        ).toBeLessThan(1e-5);
        expect(m.centroid[0]).toBeCloseTo(a / 2, 3);
      }),
      { numRuns: 50 },
    );
  });

  it('sphere: volume and area within 0.5 % at 128 × 64', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.5, max: 30, noNaN: true }), (r) => {
        // Act
        const m = computeMetrics(sphere(r, 128, 64));
        // Assess
        expect(rel(m.volumeMm3, (4 / 3) * Math.PI * r ** 3)).toBeLessThan(0.005);
        expect(rel(m.areaMm2, 4 * Math.PI * r * r)).toBeLessThan(0.005);
      }),
      { numRuns: 10 },
    );
  });

  it('torus: volume and area within 0.5 % at 256 × 64', () => {
    fc.assert(
      fc.property(fc.double({ min: 5, max: 15, noNaN: true }), fc.double({ min: 0.4, max: 3, noNaN: true }), (R, r) => {
        // Act
        const m = computeMetrics(torus(R, r, 256, 64));
        // Assess
        expect(rel(m.volumeMm3, 2 * Math.PI ** 2 * R * r * r)).toBeLessThan(0.005);
        expect(rel(m.areaMm2, 4 * Math.PI ** 2 * R * r)).toBeLessThan(0.005);
      }),
      { numRuns: 10 },
    );
  });

  it('is invariant under rotation and translation', () => {
    const base = torus(9, 1.5, 96, 24);
    const ref = computeMetrics(base);
    fc.assert(
      fc.property(angle, angle, angle, offset, offset, offset, (ax, ay, az, tx, ty, tz) => {
        // Act
        const m = computeMetrics(transform(base, ax, ay, az, [tx, ty, tz]));
        // Assess
        expect(rel(m.volumeMm3, ref.volumeMm3)).toBeLessThan(1e-4);
        expect(rel(m.areaMm2, ref.areaMm2)).toBeLessThan(1e-4);
      }),
      { numRuns: 25 },
    );
  });

  it('Σ layer area × layer height is within 0.5 % of the volume, in any orientation', () => {
    fc.assert(
      fc.property(angle, angle, fc.constantFrom(0.025, 0.05), (ax, ay, h) => {
        // Prepare
        const mesh = transform(torus(8, 1.2, 128, 32), ax, ay, 0, [0, 0, 0]);
        // Act
        const s = sliceMesh(mesh, { layerHeightMm: h });
        // Assess
        expect(rel(s.volumeMm3, computeMetrics(mesh).volumeMm3)).toBeLessThan(0.005);
      }),
      { numRuns: 12 },
    );
  });
});
