import { describe, expect, it } from 'vitest';
import type { IndexedMesh } from './mesh.ts';
import { computeMetrics } from './metrics.ts';
import { box, sphere } from './shapes.ts';
import { repairMesh } from './topology.ts';
import { weld } from './weld.ts';

/** Concatenates meshes (indices offset). */
const merge = (...ms: IndexedMesh[]): IndexedMesh => {
  const positions = new Float32Array(ms.reduce((n, m) => n + m.positions.length, 0));
  const indices = new Uint32Array(ms.reduce((n, m) => n + m.indices.length, 0));
  let p = 0;
  let i = 0;
  for (const m of ms) {
    positions.set(m.positions, p);
    for (let k = 0; k < m.indices.length; k++) indices[i + k] = (m.indices[k] ?? 0) + p / 3;
    p += m.positions.length;
    i += m.indices.length;
  }
  return { positions, indices };
};

const translate = (m: IndexedMesh, dx: number): IndexedMesh => ({
  positions: m.positions.map((v, i) => (i % 3 === 0 ? v + dx : v)),
  indices: m.indices,
});

/** Reverses every triangle's winding. */
const reverse = (idx: Uint32Array): Uint32Array => {
  const out = idx.slice();
  for (let i = 0; i + 2 < out.length; i += 3) {
    out[i + 1] = idx[i + 2] ?? 0;
    out[i + 2] = idx[i + 1] ?? 0;
  }
  return out;
};

describe('repairMesh', () => {
  it('leaves a clean closed mesh untouched', () => {
    // Act
    const r = repairMesh(sphere(5, 32, 16));
    // Assess
    expect(r.repairs).toEqual([]);
    expect(r.defects).toEqual([]);
    expect(r.topology).toMatchObject({
      watertight: true,
      shells: 1,
      boundaryEdges: 0,
      nonManifoldEdges: 0,
      eulerCharacteristic: 2,
    });
  });

  it('reports holes, flipped faces, duplicates, fins and a floating shell, and repairs what is safe', () => {
    // Prepare: a sphere with one triangle removed (hole), two faces flipped, three duplicated faces,
    // a fin hinged on one of its edges, and a small cube floating beside it.
    const s = sphere(5, 32, 16);
    const idx = Array.from(s.indices);
    const removed = idx.splice(30 * 3, 3); // hole: one triangle
    for (const f of [100, 200]) {
      const b = idx[f * 3 + 1] ?? 0;
      idx[f * 3 + 1] = idx[f * 3 + 2] ?? 0;
      idx[f * 3 + 2] = b;
    }
    idx.push(...idx.slice(300 * 3, 303 * 3)); // three duplicates
    const positions = Array.from(s.positions);
    const hinge = [idx[400 * 3] ?? 0, idx[400 * 3 + 1] ?? 0];
    positions.push(20, 20, 20); // fin tip, far out
    idx.push(hinge[1] ?? 0, hinge[0] ?? 0, positions.length / 3 - 1);
    const broken = merge(
      { positions: Float32Array.from(positions), indices: Uint32Array.from(idx) },
      translate(box(1, 1, 1), 10),
    );
    expect(removed.length).toBe(3);
    // Act
    const r = repairMesh(weld(broken));
    // Assess
    const kinds = r.defects.map((d) => d.kind);
    expect(kinds).toEqual(
      expect.arrayContaining(['hole', 'inconsistent_orientation', 'duplicate_face', 'fin', 'floating_shell']),
    );
    expect(r.repairs.map((x) => x.kind)).toEqual(
      expect.arrayContaining(['filled_holes', 'unified_orientation', 'removed_duplicate_faces', 'removed_fins']),
    );
    expect(r.defects.find((d) => d.kind === 'inconsistent_orientation')?.count).toBe(2);
    expect(r.defects.find((d) => d.kind === 'duplicate_face')?.count).toBe(3);
    expect(r.defects.find((d) => d.kind === 'floating_shell')?.locations[0]?.[0]).toBeCloseTo(10.5, 3);
    for (const d of r.defects) expect(d.locations.length).toBeGreaterThan(0);
    expect(r.topology).toMatchObject({ watertight: true, shells: 2, boundaryEdges: 0, nonManifoldEdges: 0 });
    // Repaired volume = sphere + cube.
    const clean = computeMetrics(sphere(5, 32, 16)).volumeMm3 + 1;
    expect(computeMetrics(r.mesh).volumeMm3).toBeCloseTo(clean, 1);
  });

  it('turns an inside-out shell the right way round but keeps a cavity', () => {
    // Prepare: an inverted cube, and a hollow cube (outer 10, inner cavity 4 facing inwards).
    const inv = box(2, 2, 2);
    const flipped = { positions: inv.positions, indices: reverse(inv.indices) };
    const outer = box(10, 10, 10);
    const cavity = box(4, 4, 4);
    const cavityIn = {
      positions: cavity.positions.map((v) => v + 3),
      indices: reverse(cavity.indices),
    };
    // Act
    const a = repairMesh(weld(flipped));
    const b = repairMesh(weld(merge(outer, cavityIn)));
    // Assess
    expect(a.repairs.map((x) => x.kind)).toContain('flipped_inverted_shells');
    expect(computeMetrics(a.mesh).volumeMm3).toBeCloseTo(8, 4);
    expect(b.repairs).toEqual([]);
    expect(computeMetrics(b.mesh).volumeMm3).toBeCloseTo(1000 - 64, 3);
    expect(b.defects.map((d) => d.kind)).not.toContain('floating_shell');
  });

  it('reports a hole too large to close, with coordinates, and non-manifold edges', () => {
    // Prepare: a cube missing a whole side (4-edge loop) with hole filling disabled; two cubes sharing an edge.
    const c = box(1, 1, 1);
    const open = { positions: c.positions, indices: c.indices.slice(0, 30) };
    const shared = merge(box(1, 1, 1), {
      positions: box(1, 1, 1).positions.map((v, i) => (i % 3 === 2 ? v : v + 1)),
      indices: box(1, 1, 1).indices,
    });
    // Act
    const a = repairMesh(weld(open), { maxHoleEdges: 0 });
    const b = repairMesh(weld(shared));
    // Assess
    expect(a.topology.boundaryEdges).toBe(4);
    expect(a.defects.find((d) => d.kind === 'boundary_edge')?.locations).toHaveLength(4);
    expect(b.topology.nonManifoldEdges).toBe(1);
    expect(b.topology.watertight).toBe(false);
  });
});

describe('weld', () => {
  it('merges exact duplicates and, with a tolerance, near ones', () => {
    // Prepare: two triangles whose shared corner differs by 1e-5 mm.
    const m = {
      positions: Float32Array.of(0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0, 0, 1.00001, 1, 0, 0, 1, 0),
      indices: Uint32Array.of(0, 1, 2, 3, 4, 5),
    };
    const near = {
      positions: Float32Array.of(0, 0, 0, 1, 0, 0, 0, 1, 0, 1.00001, 0, 0, 1, 1, 0, 0, 1, 0),
      indices: Uint32Array.of(0, 1, 2, 3, 4, 5),
    };
    // Act / Assess
    expect(weld(m).positions.length / 3).toBe(4);
    expect(weld(near).positions.length / 3).toBe(5);
    expect(weld(near, 1e-4).positions.length / 3).toBe(4);
  });
});
