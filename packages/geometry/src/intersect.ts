/**
 * Self-intersections by traversing the BVH against itself (pairs of overlapping nodes, each unordered pair of
 * subtrees visited once), so no triangle re-descends from the root. Candidate triangle pairs that share a vertex
 * are skipped (adjacent faces meet by construction); a plane-side test rejects most of the rest; survivors are
 * tested by crossing each edge of one triangle with the other (6 segment–triangle tests). Coplanar overlaps are
 * not detected. O(T log T) expected, bounded by `maxMillis` (the result then says `complete: false`).
 */
import type { Bvh } from './bvh.ts';
import type { IndexedMesh, Vec3 } from './mesh.ts';

export interface IntersectionResult {
  /** Intersecting pairs found. */
  pairs: number;
  /** False when the time budget ran out before every pair was checked. */
  complete: boolean;
  locations: Vec3[];
}

/** Segment p→q against the triangle stored as 9 floats at `o` in `P` (interior crossing only). */
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

/** Signed distances of the corners of triangle q to the plane of triangle o: true when all on one side. */
const separated = (P: Float32Array, o: number, q: number): boolean => {
  const ax = P[o] ?? 0;
  const ay = P[o + 1] ?? 0;
  const az = P[o + 2] ?? 0;
  const ux = (P[o + 3] ?? 0) - ax;
  const uy = (P[o + 4] ?? 0) - ay;
  const uz = (P[o + 5] ?? 0) - az;
  const wx = (P[o + 6] ?? 0) - ax;
  const wy = (P[o + 7] ?? 0) - ay;
  const wz = (P[o + 8] ?? 0) - az;
  const nx = uy * wz - uz * wy;
  const ny = uz * wx - ux * wz;
  const nz = ux * wy - uy * wx;
  const d0 = nx * ((P[q] ?? 0) - ax) + ny * ((P[q + 1] ?? 0) - ay) + nz * ((P[q + 2] ?? 0) - az);
  const d1 = nx * ((P[q + 3] ?? 0) - ax) + ny * ((P[q + 4] ?? 0) - ay) + nz * ((P[q + 5] ?? 0) - az);
  const d2 = nx * ((P[q + 6] ?? 0) - ax) + ny * ((P[q + 7] ?? 0) - ay) + nz * ((P[q + 8] ?? 0) - az);
  return (d0 > 0 && d1 > 0 && d2 > 0) || (d0 < 0 && d1 < 0 && d2 < 0);
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
  const B = bvh.bounds;
  const N = bvh.nodes;
  const end = clock() + maxMillis;
  let pairs = 0;
  const locations: Vec3[] = [];
  if (bvh.nodeCount === 0) return { pairs, complete: true, locations };

  const testPair = (s: number, t: number): void => {
    const o = s * 9;
    const q = t * 9;
    // Triangle boxes.
    for (let k = 0; k < 3; k++) {
      const a0 = P[o + k] ?? 0;
      const a1 = P[o + 3 + k] ?? 0;
      const a2 = P[o + 6 + k] ?? 0;
      const b0 = P[q + k] ?? 0;
      const b1 = P[q + 3 + k] ?? 0;
      const b2 = P[q + 6 + k] ?? 0;
      if (Math.max(a0, a1, a2) < Math.min(b0, b1, b2) || Math.min(a0, a1, a2) > Math.max(b0, b1, b2)) return;
    }
    const f = bvh.triId[s] ?? 0;
    const g = bvh.triId[t] ?? 0;
    const a = idx[f * 3] ?? 0;
    const b = idx[f * 3 + 1] ?? 0;
    const c = idx[f * 3 + 2] ?? 0;
    const d = idx[g * 3] ?? 0;
    const e = idx[g * 3 + 1] ?? 0;
    const h = idx[g * 3 + 2] ?? 0;
    if (d === a || d === b || d === c || e === a || e === b || e === c || h === a || h === b || h === c) return;
    if (separated(P, o, q) || separated(P, q, o)) return;
    const crossed =
      segmentHits(P[o] ?? 0, P[o + 1] ?? 0, P[o + 2] ?? 0, P[o + 3] ?? 0, P[o + 4] ?? 0, P[o + 5] ?? 0, P, q) ||
      segmentHits(P[o + 3] ?? 0, P[o + 4] ?? 0, P[o + 5] ?? 0, P[o + 6] ?? 0, P[o + 7] ?? 0, P[o + 8] ?? 0, P, q) ||
      segmentHits(P[o + 6] ?? 0, P[o + 7] ?? 0, P[o + 8] ?? 0, P[o] ?? 0, P[o + 1] ?? 0, P[o + 2] ?? 0, P, q) ||
      segmentHits(P[q] ?? 0, P[q + 1] ?? 0, P[q + 2] ?? 0, P[q + 3] ?? 0, P[q + 4] ?? 0, P[q + 5] ?? 0, P, o) ||
      segmentHits(P[q + 3] ?? 0, P[q + 4] ?? 0, P[q + 5] ?? 0, P[q + 6] ?? 0, P[q + 7] ?? 0, P[q + 8] ?? 0, P, o) ||
      segmentHits(P[q + 6] ?? 0, P[q + 7] ?? 0, P[q + 8] ?? 0, P[q] ?? 0, P[q + 1] ?? 0, P[q + 2] ?? 0, P, o);
    if (!crossed) return;
    pairs++;
    if (locations.length < maxLocations) {
      const r3 = (v: number): number => Math.round(v * 1000) / 1000;
      locations.push([
        r3(((P[o] ?? 0) + (P[o + 3] ?? 0) + (P[o + 6] ?? 0)) / 3),
        r3(((P[o + 1] ?? 0) + (P[o + 4] ?? 0) + (P[o + 7] ?? 0)) / 3),
        r3(((P[o + 2] ?? 0) + (P[o + 5] ?? 0) + (P[o + 8] ?? 0)) / 3),
      ]);
    }
  };

  const overlap = (a: number, b: number): boolean => {
    const i = a * 6;
    const j = b * 6;
    return !(
      (B[i] ?? 0) > (B[j + 3] ?? 0) ||
      (B[i + 1] ?? 0) > (B[j + 4] ?? 0) ||
      (B[i + 2] ?? 0) > (B[j + 5] ?? 0) ||
      (B[i + 3] ?? 0) < (B[j] ?? 0) ||
      (B[i + 4] ?? 0) < (B[j + 1] ?? 0) ||
      (B[i + 5] ?? 0) < (B[j + 2] ?? 0)
    );
  };
  const extent = (n: number): number => {
    const i = n * 6;
    return Math.max(
      (B[i + 3] ?? 0) - (B[i] ?? 0),
      (B[i + 4] ?? 0) - (B[i + 1] ?? 0),
      (B[i + 5] ?? 0) - (B[i + 2] ?? 0),
    );
  };

  let stack = new Int32Array(1 << 12);
  let sp = 0;
  const push = (a: number, b: number): void => {
    if (sp + 2 > stack.length) {
      const next = new Int32Array(stack.length * 2);
      next.set(stack);
      stack = next;
    }
    stack[sp++] = a;
    stack[sp++] = b;
  };
  push(0, 0);
  let steps = 0;
  while (sp > 0) {
    if ((++steps & 0xfff) === 0 && clock() > end) return { pairs, complete: false, locations };
    const b = stack[--sp] ?? 0;
    const a = stack[--sp] ?? 0;
    const countA = N[a * 2 + 1] ?? 0;
    const countB = N[b * 2 + 1] ?? 0;
    if (a === b) {
      if (countA > 0) {
        const first = N[a * 2] ?? 0;
        for (let s = first; s < first + countA; s++) for (let t = s + 1; t < first + countA; t++) testPair(s, t);
      } else {
        const left = a + 1;
        const right = N[a * 2] ?? 0;
        push(left, left);
        push(right, right);
        if (overlap(left, right)) push(left, right);
      }
      continue;
    }
    if (countA > 0 && countB > 0) {
      const fa = N[a * 2] ?? 0;
      const fb = N[b * 2] ?? 0;
      for (let s = fa; s < fa + countA; s++) for (let t = fb; t < fb + countB; t++) testPair(s, t);
      continue;
    }
    // Descend the larger (or the only internal) node.
    if (countB > 0 || (countA === 0 && extent(a) >= extent(b))) {
      const left = a + 1;
      const right = N[a * 2] ?? 0;
      if (overlap(left, b)) push(left, b);
      if (overlap(right, b)) push(right, b);
    } else {
      const left = b + 1;
      const right = N[b * 2] ?? 0;
      if (overlap(a, left)) push(a, left);
      if (overlap(a, right)) push(a, right);
    }
  }
  return { pairs, complete: true, locations };
};
