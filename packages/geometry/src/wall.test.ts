import { describe, expect, it } from 'vitest';
import { buildBvh } from './bvh.ts';
import { findSelfIntersections } from './intersect.ts';
import type { IndexedMesh } from './mesh.ts';
import { box, ringBand, sphere, torus } from './shapes.ts';
import { measureWalls } from './wall.ts';

/** A ring band whose shank thins smoothly from 1.55 mm at the top to 0.35 mm at the bottom. */
const thinRing = (): IndexedMesh => ringBand(8.5, 2, 720, (u) => 0.35 + 1.2 * (0.5 - 0.5 * Math.cos(2 * Math.PI * u)));

describe('measureWalls', () => {
  it('finds the 0.35 mm shank of a thinning ring within 15 %', () => {
    // Prepare
    const ring = thinRing();
    // Act
    const w = measureWalls(ring, buildBvh(ring), { minimumMm: 0.6 });
    // Assess
    expect(w.minMm).not.toBeNull();
    expect(Math.abs((w.minMm ?? 0) - 0.35) / 0.35).toBeLessThan(0.15);
    expect(w.facesBelowMinimum).toBeGreaterThan(0);
    expect(w.thinSpots[0]?.thicknessMm).toBeCloseTo(w.minMm ?? 0, 3);
    // The thin spot is at u = 0, i.e. on the +x side of the ring.
    expect(w.thinSpots[0]?.at[0]).toBeGreaterThan(8);
  });

  it('measures a 4 mm tube as 4 mm and a 3 mm slab as 3 mm', () => {
    // Prepare
    const t = torus(10, 2, 256, 64);
    const slab = box(20, 20, 3);
    // Act
    const a = measureWalls(t, buildBvh(t));
    const b = measureWalls(slab, buildBvh(slab));
    // Assess
    expect(a.medianMm).toBeCloseTo(4, 1);
    expect(b.minMm).toBeCloseTo(3, 4);
  });

  it('samples with a stride when there are more faces than maxRays', () => {
    const s = sphere(5, 64, 32);
    const w = measureWalls(s, buildBvh(s), { maxRays: 100 });
    expect(w.facesMeasured).toBeLessThanOrEqual(100);
    expect(w.medianMm).toBeCloseTo(10, 0);
  });
});

describe('findSelfIntersections', () => {
  it('finds crossing faces of two overlapping spheres and none on one sphere', () => {
    // Prepare
    const a = sphere(5, 32, 16);
    const b = sphere(5, 32, 16);
    const positions = new Float32Array(a.positions.length * 2);
    positions.set(a.positions);
    positions.set(
      b.positions.map((v, i) => (i % 3 === 0 ? v + 4 : v)),
      a.positions.length,
    );
    const indices = new Uint32Array(a.indices.length * 2);
    indices.set(a.indices);
    indices.set(
      b.indices.map((v) => v + a.positions.length / 3),
      a.indices.length,
    );
    const both = { positions, indices };
    // Act
    const none = findSelfIntersections(a, buildBvh(a));
    const some = findSelfIntersections(both, buildBvh(both));
    // Assess
    expect(none).toMatchObject({ pairs: 0, complete: true });
    expect(some.pairs).toBeGreaterThan(10);
    expect(some.locations[0]?.[0]).toBeCloseTo(2, 0);
  });
});
