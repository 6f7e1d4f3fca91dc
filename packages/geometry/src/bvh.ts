/**
 * A bounding-volume hierarchy over triangles in flat typed arrays. Build: recursive split at the centroid-bounds
 * midpoint of the longest axis (falls back to the median by count), leaves of ≤ 4 triangles, nodes in depth-first
 * order (left child = node + 1). O(T log T) build, O(log T) expected per query. Triangle corners are copied in leaf
 * order so that traversal touches contiguous memory.
 */
import type { IndexedMesh } from './mesh.ts';

export interface Bvh {
  /** 6 floats per node: min xyz, max xyz. */
  bounds: Float32Array;
  /** 2 per node: internal → [right child, 0]; leaf → [first triangle slot, count]. */
  nodes: Uint32Array;
  nodeCount: number;
  /** 9 floats per triangle slot (corners a, b, c), in leaf order. */
  tris: Float32Array;
  /** Original triangle id of each slot. */
  triId: Uint32Array;
}

const LEAF = 4;

/** Quickselect: partially orders perm[start, end) by centroid on `axis` so that perm[k] is in place. O(n). */
const nthElement = (
  perm: Uint32Array,
  cent: Float32Array,
  axis: number,
  start: number,
  end: number,
  k: number,
): void => {
  let lo = start;
  let hi = end - 1;
  while (hi > lo) {
    const pivot = cent[(perm[(lo + hi) >> 1] ?? 0) * 3 + axis] ?? 0;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((cent[(perm[i] ?? 0) * 3 + axis] ?? 0) < pivot) i++;
      while ((cent[(perm[j] ?? 0) * 3 + axis] ?? 0) > pivot) j--;
      if (i <= j) {
        const s = perm[i] ?? 0;
        perm[i] = perm[j] ?? 0;
        perm[j] = s;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
};

export const buildBvh = (mesh: IndexedMesh): Bvh => {
  const p = mesh.positions;
  const idx = mesh.indices;
  const T = idx.length / 3;
  // Only triangle box centres are kept during the build; node boxes are computed bottom-up afterwards, so each
  // level of the recursion touches 3 floats per triangle and no per-triangle boxes are stored.
  const cent = new Float32Array(T * 3);
  for (let t = 0; t < T; t++) {
    const a = (idx[t * 3] ?? 0) * 3;
    const b = (idx[t * 3 + 1] ?? 0) * 3;
    const c = (idx[t * 3 + 2] ?? 0) * 3;
    for (let k = 0; k < 3; k++) {
      const x = p[a + k] ?? 0;
      const y = p[b + k] ?? 0;
      const z = p[c + k] ?? 0;
      const lo = x < y ? (x < z ? x : z) : y < z ? y : z;
      const hi = x > y ? (x > z ? x : z) : y > z ? y : z;
      cent[t * 3 + k] = (lo + hi) * 0.5;
    }
  }
  const perm = new Uint32Array(T);
  for (let t = 0; t < T; t++) perm[t] = t;
  // At most 2T − 1 nodes; untouched capacity costs no memory pages, and views are returned, not copies.
  const capacity = Math.max(1, 2 * T - 1);
  const nodes = new Uint32Array(capacity * 2);
  let count = 0;
  const build = (start: number, end: number, depth: number): number => {
    const node = count++;
    const n = end - start;
    if (n <= LEAF) {
      nodes[node * 2] = start;
      nodes[node * 2 + 1] = n;
      return node;
    }
    let cx0 = Number.POSITIVE_INFINITY;
    let cy0 = cx0;
    let cz0 = cx0;
    let cx1 = Number.NEGATIVE_INFINITY;
    let cy1 = cx1;
    let cz1 = cx1;
    for (let i = start; i < end; i++) {
      const t = (perm[i] ?? 0) * 3;
      const u = cent[t] ?? 0;
      const v = cent[t + 1] ?? 0;
      const w = cent[t + 2] ?? 0;
      if (u < cx0) cx0 = u;
      if (u > cx1) cx1 = u;
      if (v < cy0) cy0 = v;
      if (v > cy1) cy1 = v;
      if (w < cz0) cz0 = w;
      if (w > cz1) cz1 = w;
    }
    const ex = cx1 - cx0;
    const ey = cy1 - cy0;
    const ez = cz1 - cz0;
    const axis = ex >= ey && ex >= ez ? 0 : ey >= ez ? 1 : 2;
    const split = axis === 0 ? (cx0 + cx1) / 2 : axis === 1 ? (cy0 + cy1) / 2 : (cz0 + cz1) / 2;
    let i = start;
    let j = end - 1;
    while (i <= j) {
      if ((cent[(perm[i] ?? 0) * 3 + axis] ?? 0) < split) i++;
      else {
        const s = perm[i] ?? 0;
        perm[i] = perm[j] ?? 0;
        perm[j] = s;
        j--;
      }
    }
    let mid = i;
    // Degenerate split, or too deep (skewed input): median by count keeps the depth logarithmic from here on.
    if (mid === start || mid === end || depth > 40) {
      mid = (start + end) >> 1;
      nthElement(perm, cent, axis, start, end, mid);
    }
    build(start, mid, depth + 1);
    const right = build(mid, end, depth + 1);
    nodes[node * 2] = right;
    nodes[node * 2 + 1] = 0;
    return node;
  };
  if (T > 0) build(0, T, 0);
  const tris = new Float32Array(T * 9);
  for (let s = 0; s < T; s++) {
    const t = perm[s] ?? 0;
    for (let j = 0; j < 3; j++) {
      const v = (idx[t * 3 + j] ?? 0) * 3;
      tris[s * 9 + j * 3] = p[v] ?? 0;
      tris[s * 9 + j * 3 + 1] = p[v + 1] ?? 0;
      tris[s * 9 + j * 3 + 2] = p[v + 2] ?? 0;
    }
  }
  // Boxes bottom-up: children always have larger indices than their parent (depth-first numbering).
  const bounds = new Float32Array(count * 6);
  for (let node = count - 1; node >= 0; node--) {
    const o = node * 6;
    const n = nodes[node * 2 + 1] ?? 0;
    let x0 = Number.POSITIVE_INFINITY;
    let y0 = x0;
    let z0 = x0;
    let x1 = Number.NEGATIVE_INFINITY;
    let y1 = x1;
    let z1 = x1;
    if (n > 0) {
      const first = nodes[node * 2] ?? 0;
      for (let q = first * 9; q < (first + n) * 9; q += 3) {
        const x = tris[q] ?? 0;
        const y = tris[q + 1] ?? 0;
        const z = tris[q + 2] ?? 0;
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
        if (z < z0) z0 = z;
        if (z > z1) z1 = z;
      }
    } else {
      const l = (node + 1) * 6;
      const r = (nodes[node * 2] ?? 0) * 6;
      x0 = Math.min(bounds[l] ?? 0, bounds[r] ?? 0);
      y0 = Math.min(bounds[l + 1] ?? 0, bounds[r + 1] ?? 0);
      z0 = Math.min(bounds[l + 2] ?? 0, bounds[r + 2] ?? 0);
      x1 = Math.max(bounds[l + 3] ?? 0, bounds[r + 3] ?? 0);
      y1 = Math.max(bounds[l + 4] ?? 0, bounds[r + 4] ?? 0);
      z1 = Math.max(bounds[l + 5] ?? 0, bounds[r + 5] ?? 0);
    }
    bounds[o] = x0;
    bounds[o + 1] = y0;
    bounds[o + 2] = z0;
    bounds[o + 3] = x1;
    bounds[o + 4] = y1;
    bounds[o + 5] = z1;
  }
  return { bounds, nodes: nodes.subarray(0, count * 2), nodeCount: count, tris, triId: perm };
};

/** Result of the last `raycast` (module-level to avoid allocations in the hot loop). */
export const hit = { t: 0, tri: -1 };

const stack = new Int32Array(256);
const entry = new Float64Array(256);

/** Entry distance of the ray into node's box within [tMin, tMax], or +∞ when it misses. */
const slab = (
  B: Float32Array,
  node: number,
  ox: number,
  oy: number,
  oz: number,
  ix: number,
  iy: number,
  iz: number,
  tMin: number,
  tMax: number,
): number => {
  const o = node * 6;
  let t0 = ((B[o] ?? 0) - ox) * ix;
  let t1 = ((B[o + 3] ?? 0) - ox) * ix;
  let lo = t0 < t1 ? t0 : t1;
  let hi = t0 < t1 ? t1 : t0;
  t0 = ((B[o + 1] ?? 0) - oy) * iy;
  t1 = ((B[o + 4] ?? 0) - oy) * iy;
  let a = t0 < t1 ? t0 : t1;
  let b = t0 < t1 ? t1 : t0;
  if (a > lo) lo = a;
  if (b < hi) hi = b;
  t0 = ((B[o + 2] ?? 0) - oz) * iz;
  t1 = ((B[o + 5] ?? 0) - oz) * iz;
  a = t0 < t1 ? t0 : t1;
  b = t0 < t1 ? t1 : t0;
  if (a > lo) lo = a;
  if (b < hi) hi = b;
  // NaN (0 · ∞ on a slab plane) fails every comparison below and counts as a hit, which is safe.
  if (lo > hi || hi < tMin || lo > tMax) return Number.POSITIVE_INFINITY;
  return lo;
};

/**
 * Nearest hit along origin + t·dir for t in (tMin, tMax), skipping triangle `skip`. Returns true on a hit and
 * fills `hit`. Möller–Trumbore, both faces.
 */
export const raycast = (
  bvh: Bvh,
  ox: number,
  oy: number,
  oz: number,
  dx: number,
  dy: number,
  dz: number,
  tMin: number,
  tMax: number,
  skip: number,
): boolean => {
  if (bvh.nodeCount === 0) return false;
  const ix = 1 / dx;
  const iy = 1 / dy;
  const iz = 1 / dz;
  const B = bvh.bounds;
  const N = bvh.nodes;
  const P = bvh.tris;
  let best = tMax;
  let bestTri = -1;
  // Root box test, then near-child-first traversal: children are tested when their parent is expanded, the
  // farther one is pushed first, and a popped node is skipped when its entry distance exceeds the best hit.
  let sp = 0;
  const rootT = slab(B, 0, ox, oy, oz, ix, iy, iz, tMin, best);
  if (rootT === Number.POSITIVE_INFINITY) return false;
  stack[sp] = 0;
  entry[sp++] = rootT;
  while (sp > 0) {
    sp--;
    const node = stack[sp] ?? 0;
    if ((entry[sp] ?? 0) > best) continue;
    const count = N[node * 2 + 1] ?? 0;
    if (count === 0) {
      const left = node + 1;
      const right = N[node * 2] ?? 0;
      const tl = slab(B, left, ox, oy, oz, ix, iy, iz, tMin, best);
      const tr = slab(B, right, ox, oy, oz, ix, iy, iz, tMin, best);
      if (sp + 2 > stack.length) continue;
      if (tl <= tr) {
        if (tr !== Number.POSITIVE_INFINITY) {
          stack[sp] = right;
          entry[sp++] = tr;
        }
        if (tl !== Number.POSITIVE_INFINITY) {
          stack[sp] = left;
          entry[sp++] = tl;
        }
      } else {
        if (tl !== Number.POSITIVE_INFINITY) {
          stack[sp] = left;
          entry[sp++] = tl;
        }
        if (tr !== Number.POSITIVE_INFINITY) {
          stack[sp] = right;
          entry[sp++] = tr;
        }
      }
      continue;
    }
    const first = N[node * 2] ?? 0;
    for (let s = first; s < first + count; s++) {
      if ((bvh.triId[s] ?? 0) === skip) continue;
      const q = s * 9;
      const ax = P[q] ?? 0;
      const ay = P[q + 1] ?? 0;
      const az = P[q + 2] ?? 0;
      const e1x = (P[q + 3] ?? 0) - ax;
      const e1y = (P[q + 4] ?? 0) - ay;
      const e1z = (P[q + 5] ?? 0) - az;
      const e2x = (P[q + 6] ?? 0) - ax;
      const e2y = (P[q + 7] ?? 0) - ay;
      const e2z = (P[q + 8] ?? 0) - az;
      const px = dy * e2z - dz * e2y;
      const py = dz * e2x - dx * e2z;
      const pz = dx * e2y - dy * e2x;
      const det = e1x * px + e1y * py + e1z * pz;
      if (det > -1e-12 && det < 1e-12) continue;
      const inv = 1 / det;
      const sx = ox - ax;
      const sy = oy - ay;
      const sz = oz - az;
      const u = (sx * px + sy * py + sz * pz) * inv;
      if (u < 0 || u > 1) continue;
      const qx = sy * e1z - sz * e1y;
      const qy = sz * e1x - sx * e1z;
      const qz = sx * e1y - sy * e1x;
      const v = (dx * qx + dy * qy + dz * qz) * inv;
      if (v < 0 || u + v > 1) continue;
      const t = (e2x * qx + e2y * qy + e2z * qz) * inv;
      if (t > tMin && t < best) {
        best = t;
        bestTri = bvh.triId[s] ?? 0;
      }
    }
  }
  if (bestTri < 0) return false;
  hit.t = best;
  hit.tri = bestTri;
  return true;
};

/**
 * Calls `visit(triangleId)` for every triangle whose box overlaps [min, max]. Returns false to stop early.
 */
export const queryBox = (
  bvh: Bvh,
  x0: number,
  y0: number,
  z0: number,
  x1: number,
  y1: number,
  z1: number,
  visit: (slot: number) => boolean,
): void => {
  if (bvh.nodeCount === 0) return;
  const B = bvh.bounds;
  const N = bvh.nodes;
  let sp = 0;
  const st = stack;
  st[sp++] = 0;
  while (sp > 0) {
    const node = st[--sp] ?? 0;
    const o = node * 6;
    if (
      (B[o] ?? 0) > x1 ||
      (B[o + 1] ?? 0) > y1 ||
      (B[o + 2] ?? 0) > z1 ||
      (B[o + 3] ?? 0) < x0 ||
      (B[o + 4] ?? 0) < y0 ||
      (B[o + 5] ?? 0) < z0
    ) {
      continue;
    }
    const count = N[node * 2 + 1] ?? 0;
    if (count === 0) {
      if (sp + 2 > st.length) continue;
      st[sp++] = N[node * 2] ?? 0;
      st[sp++] = node + 1;
      continue;
    }
    const first = N[node * 2] ?? 0;
    for (let s = first; s < first + count; s++) if (!visit(s)) return;
  }
};
