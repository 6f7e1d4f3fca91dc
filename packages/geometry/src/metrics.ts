/**
 * Mass properties by the divergence theorem: signed tetrahedra from a reference point (the bounding-box centre,
 * for precision) to every triangle. Volume is positive for outward-facing (counter-clockwise) meshes. O(T).
 */
import { bounds, type IndexedMesh, type Vec3 } from './mesh.ts';

export interface Metrics {
  volumeMm3: number;
  areaMm2: number;
  bbox: { min: Vec3; max: Vec3; size: Vec3 };
  centroid: Vec3;
}

export const computeMetrics = (mesh: IndexedMesh): Metrics => {
  const p = mesh.positions;
  const idx = mesh.indices;
  const { min, max } = bounds(p);
  const ox = (min[0] + max[0]) / 2;
  const oy = (min[1] + max[1]) / 2;
  const oz = (min[2] + max[2]) / 2;
  let vol6 = 0;
  let area2 = 0;
  let cx = 0;
  let cy = 0;
  let cz = 0;
  for (let t = 0; t < idx.length; t += 3) {
    const a = (idx[t] ?? 0) * 3;
    const b = (idx[t + 1] ?? 0) * 3;
    const c = (idx[t + 2] ?? 0) * 3;
    const ax = (p[a] ?? 0) - ox;
    const ay = (p[a + 1] ?? 0) - oy;
    const az = (p[a + 2] ?? 0) - oz;
    const bx = (p[b] ?? 0) - ox;
    const by = (p[b + 1] ?? 0) - oy;
    const bz = (p[b + 2] ?? 0) - oz;
    const cxx = (p[c] ?? 0) - ox;
    const cyy = (p[c + 1] ?? 0) - oy;
    const czz = (p[c + 2] ?? 0) - oz;
    // Triple product a · (b × c) = 6 × signed tetra volume.
    const v = ax * (by * czz - bz * cyy) - ay * (bx * czz - bz * cxx) + az * (bx * cyy - by * cxx);
    vol6 += v;
    cx += v * (ax + bx + cxx);
    cy += v * (ay + by + cyy);
    cz += v * (az + bz + czz);
    const ux = bx - ax;
    const uy = by - ay;
    const uz = bz - az;
    const wx = cxx - ax;
    const wy = cyy - ay;
    const wz = czz - az;
    const nx = uy * wz - uz * wy;
    const ny = uz * wx - ux * wz;
    const nz = ux * wy - uy * wx;
    area2 += Math.sqrt(nx * nx + ny * ny + nz * nz);
  }
  const centroid: Vec3 = vol6 !== 0 ? [ox + cx / (4 * vol6), oy + cy / (4 * vol6), oz + cz / (4 * vol6)] : [ox, oy, oz];
  return {
    volumeMm3: vol6 / 6,
    areaMm2: area2 / 2,
    bbox: { min, max, size: [max[0] - min[0], max[1] - min[1], max[2] - min[2]] },
    centroid,
  };
};
