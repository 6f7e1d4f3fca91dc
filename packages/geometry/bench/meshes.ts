/**
 * Benchmark meshes, generated (never downloaded): a 50k-triangle ring, 1M and 4M tori, a broken ring (holes,
 * flipped faces, duplicates, a fin, a floating shell) and a ring whose shank thins to 0.35 mm.
 */
import type { IndexedMesh } from '../src/mesh.ts';
import { ringBand, sphere, torus } from '../src/shapes.ts';

/** A comfort-fit band: R = 9.25 mm (≈ size 58), 2.2 × 1.6 mm elliptical section that swells at the top. */
export const ring50k = (): IndexedMesh =>
  torus(9.25, 1, 500, 50, (u) => {
    const top = 0.5 + 0.5 * Math.cos(2 * Math.PI * u);
    return { radial: 0.8 + 0.4 * top, vertical: 1.1 + 0.6 * top };
  });

export const torusWith = (triangles: number): IndexedMesh => {
  // 2 · nu · nv triangles with nu = 8 · nv.
  const nv = Math.round(Math.sqrt(triangles / 16));
  return torus(10, 2, nv * 8, nv);
};

/** Thin ring: rectangular band 2 mm tall, 1.55 mm thick at the top, 0.35 mm at the bottom of the shank. */
export const thinRing = (): IndexedMesh =>
  ringBand(8.5, 2, 4000, (u) => 0.35 + 1.2 * (0.5 - 0.5 * Math.cos(2 * Math.PI * u)));

/** The 50k ring with 3 small holes, 40 flipped faces, 25 duplicated faces, one fin and a floating bead. */
export const brokenRing = (): IndexedMesh => {
  const r = ring50k();
  const idx = Array.from(r.indices);
  const positions = Array.from(r.positions);
  for (const f of [9000, 21000, 33000]) idx.splice(f * 3, 3);
  for (let i = 0; i < 40; i++) {
    const f = 1000 + i * 997;
    const b = idx[f * 3 + 1] ?? 0;
    idx[f * 3 + 1] = idx[f * 3 + 2] ?? 0;
    idx[f * 3 + 2] = b;
  }
  for (let i = 0; i < 25; i++) idx.push(...idx.slice((5000 + i * 1500) * 3, (5001 + i * 1500) * 3));
  const a = idx[40000 * 3] ?? 0;
  const b = idx[40000 * 3 + 1] ?? 0;
  positions.push(0, 0, 14);
  idx.push(b, a, positions.length / 3 - 1);
  const bead = sphere(0.6, 16, 8);
  const base = positions.length / 3;
  for (let i = 0; i < bead.positions.length; i += 3) {
    positions.push((bead.positions[i] ?? 0) + 13, bead.positions[i + 1] ?? 0, bead.positions[i + 2] ?? 0);
  }
  for (const v of bead.indices) idx.push(v + base);
  return { positions: Float32Array.from(positions), indices: Uint32Array.from(idx) };
};
