/**
 * Self-intersections: for every triangle, candidate triangles come from a BVH box query; pairs that share a
 * vertex are skipped (adjacent faces meet by construction); the rest are tested by crossing each edge of one
 * triangle with the other (6 segment–triangle tests). Coplanar overlaps are not detected. O(T log T) expected,
 * bounded by `maxMillis` (the result then says `complete: false`).
 */
import type { Bvh } from './bvh.ts';
import type { IndexedMesh, Vec3 } from './mesh.ts';

export interface IntersectionResult {
  /** Intersecting pairs found. */
  pairs: number;
  /** False when the time budget ran out before every triangle was checked. */
  complete: boolean;
  locations: Vec3[];
}

/** Segment p→q against triangle (a, b, c) given as 9 floats at `o` in `P`. */
const segmentHits = (
  px: number,
  py: number,
  pz: number,
  qx: number,
  qy: number,
  qz: number,
  P: Float32Array,
  o: number,
): boolean => {
  const dx = qx - px;
  const dy = qy - py;
  const dz = qz - pz;
  const ax = P[o] ?? 0;
  const ay = P[o + 1] ?? 0;
  const az = P[o + 2] ?? 0;
  const e1x = (P[o + 3] ?? 0) - ax;
  const e1y = (P[o + 4] ?? 0) - ay;
  const e1z = (P[o + 5] ?? 0) - az;
  const e2x = (P[o + 6] ?? 0) - ax;
  const e2y = (P[o + 7] ?? 0) - ay;
  const e2z = (P[o + 8] ?? 0) - az;
  const hx = dy * e2z - dz * e2y;
  const hy = dz * e2x - dx * e2z;
  const hz = dx * e2y - dy * e2x;
  const det = e1x * hx + e1y * hy + e1z * hz;
  if (det > -1e-15 && det < 1e-15) return false;
  const inv = 1 / det;
  const sx = px - ax;
  const sy = py - ay;
  const sz = pz - az;
  const u = (sx * hx + sy * hy + sz * hz) * inv;
  if (u <= 0 || u >= 1) return false;
  const cx = sy * e1z - sz * e1y;
  const cy = sz * e1x - sx * e1z;
  const cz = sx * e1y - sy * e1x;
  const v = (dx * cx + dy * cy + dz * cz) * inv;
  if (v <= 0 || u + v >= 1) return false;
  const t = (e2x * cx + e2y * cy + e2z * cz) * inv;
  return t > 0 && t < 1;
};

export const findSelfIntersections = (
  mesh: IndexedMesh,
  bvh: Bvh,
  maxMillis = 5_000,
  maxLocations = 25,
  clock: () => number = () => performance.now(),
): IntersectionResult => {
  const idx = mesh.indices;
  const P = bvh.tris;
  const T = bvh.triId.length;
  const end = clock() + maxMillis;
  let pairs = 0;
  const locations: Vec3[] = [];
  let complete = true;
  const B = bvh.bounds;
  const N = bvh.nodes;
  const stack = new Int32Array(256);
  for (let s = 0; s < T; s++) {
    if ((s & 0x3ff) === 0 && clock() > end) {
      complete = false;
      break;
    }
    const f = bvh.triId[s] ?? 0;
    const a = idx[f * 3] ?? 0;
    const b = idx[f * 3 + 1] ?? 0;
    const c = idx[f * 3 + 2] ?? 0;
    const o = s * 9;
    const ax = P[o] ?? 0;
    const ay = P[o + 1] ?? 0;
    const az = P[o + 2] ?? 0;
    const bx = P[o + 3] ?? 0;
    const by = P[o + 4] ?? 0;
    const bz = P[o + 5] ?? 0;
    const cx = P[o + 6] ?? 0;
    const cy = P[o + 7] ?? 0;
    const cz = P[o + 8] ?? 0;
    const x0 = Math.min(ax, bx, cx);
    const y0 = Math.min(ay, by, cy);
    const z0 = Math.min(az, bz, cz);
    const x1 = Math.max(ax, bx, cx);
    const y1 = Math.max(ay, by, cy);
    const z1 = Math.max(az, bz, cz);
    // Plane of this triangle for a cheap separating test.
    const ux = bx - ax;
    const uy = by - ay;
    const uz = bz - az;
    const wx = cx - ax;
    const wy = cy - ay;
    const wz = cz - az;
    const nx = uy * wz - uz * wy;
    const ny = uz * wx - ux * wz;
    const nz = ux * wy - uy * wx;
    const nd = nx * ax + ny * ay + nz * az;
    let sp = 0;
    stack[sp++] = 0;
    while (sp > 0) {
      const node = stack[--sp] ?? 0;
      const q6 = node * 6;
      if (
        (B[q6] ?? 0) > x1 ||
        (B[q6 + 1] ?? 0) > y1 ||
        (B[q6 + 2] ?? 0) > z1 ||
        (B[q6 + 3] ?? 0) < x0 ||
        (B[q6 + 4] ?? 0) < y0 ||
        (B[q6 + 5] ?? 0) < z0
      ) {
        continue;
      }
      const count = N[node * 2 + 1] ?? 0;
      if (count === 0) {
        if (sp + 2 > stack.length) continue;
        stack[sp++] = N[node * 2] ?? 0;
        stack[sp++] = node + 1;
        continue;
      }
      const first = N[node * 2] ?? 0;
      for (let t = first; t < first + count; t++) {
        if (t <= s) continue;
        const q = t * 9;
        const dx0 = P[q] ?? 0;
        const dy0 = P[q + 1] ?? 0;
        const dz0 = P[q + 2] ?? 0;
        const ex0 = P[q + 3] ?? 0;
        const ey0 = P[q + 4] ?? 0;
        const ez0 = P[q + 5] ?? 0;
        const hx0 = P[q + 6] ?? 0;
        const hy0 = P[q + 7] ?? 0;
        const hz0 = P[q + 8] ?? 0;
        if (Math.max(dx0, ex0, hx0) < x0 || Math.min(dx0, ex0, hx0) > x1) continue;
        if (Math.max(dy0, ey0, hy0) < y0 || Math.min(dy0, ey0, hy0) > y1) continue;
        if (Math.max(dz0, ez0, hz0) < z0 || Math.min(dz0, ez0, hz0) > z1) continue;
        const sd = nx * dx0 + ny * dy0 + nz * dz0 - nd;
        const se = nx * ex0 + ny * ey0 + nz * ez0 - nd;
        const sh = nx * hx0 + ny * hy0 + nz * hz0 - nd;
        if ((sd > 0 && se > 0 && sh > 0) || (sd < 0 && se < 0 && sh < 0)) continue;
        const g = bvh.triId[t] ?? 0;
        const d = idx[g * 3] ?? 0;
        const e = idx[g * 3 + 1] ?? 0;
        const hh = idx[g * 3 + 2] ?? 0;
        if (d === a || d === b || d === c || e === a || e === b || e === c || hh === a || hh === b || hh === c)
          continue;
        const crossed =
          segmentHits(ax, ay, az, bx, by, bz, P, q) ||
          segmentHits(bx, by, bz, cx, cy, cz, P, q) ||
          segmentHits(cx, cy, cz, ax, ay, az, P, q) ||
          segmentHits(dx0, dy0, dz0, ex0, ey0, ez0, P, o) ||
          segmentHits(ex0, ey0, ez0, hx0, hy0, hz0, P, o) ||
          segmentHits(hx0, hy0, hz0, dx0, dy0, dz0, P, o);
        if (crossed) {
          pairs++;
          if (locations.length < maxLocations) {
            const r3 = (v: number): number => Math.round(v * 1000) / 1000;
            locations.push([r3((x0 + x1) / 2), r3((y0 + y1) / 2), r3((z0 + z1) / 2)]);
          }
        }
      }
    }
  }
  return { pairs, complete, locations };
};
