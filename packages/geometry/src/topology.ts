/**
 * Validation and safe repair. Stages (T triangles, V vertices):
 *  1. drop faces whose corners collapsed onto one vertex (after welding); report zero-area slivers   O(T)
 *  2. drop duplicate faces (same corners; a same-corners pair with opposite winding is removed whole) O(T)
 *  3. edge table; remove fins (a dangling face hinged on a non-manifold edge)                          O(T + V)
 *  4. unify orientation across manifold edges (BFS), shells, flip inside-out shells                  O(T)
 *  5. fill small holes (boundary loops up to `maxHoleEdges`) with a centroid fan                     O(T)
 *  6. final edge table: boundary and non-manifold edges, shells, floating shells                     O(T + V)
 * Everything that is changed is listed as a repair; everything left is a defect with coordinates.
 */

import { buildEdges, type EdgeTable, heTo } from './edges.ts';
import type { Deadline } from './errors.ts';
import type { IndexedMesh, Vec3 } from './mesh.ts';

export type DefectKind =
  | 'degenerate_face'
  | 'duplicate_face'
  | 'fin'
  | 'inconsistent_orientation'
  | 'inverted_shell'
  | 'hole'
  | 'boundary_edge'
  | 'non_manifold_edge'
  | 'non_orientable'
  | 'floating_shell'
  | 'self_intersection'
  | 'thin_wall';

export interface Defect {
  kind: DefectKind;
  severity: 'info' | 'warning' | 'error';
  count: number;
  message: string;
  /** Up to `maxLocations` representative points (millimetres) a viewer can point at. */
  locations: Vec3[];
}

export interface Repair {
  kind:
    | 'removed_collapsed_faces'
    | 'removed_duplicate_faces'
    | 'removed_fins'
    | 'unified_orientation'
    | 'flipped_inverted_shells'
    | 'filled_holes';
  count: number;
  message: string;
}

export interface TopologySummary {
  triangles: number;
  vertices: number;
  edges: number;
  boundaryEdges: number;
  nonManifoldEdges: number;
  shells: number;
  /** Closed, manifold, consistently oriented. */
  watertight: boolean;
  orientable: boolean;
  /** V − E + F over the whole mesh. */
  eulerCharacteristic: number;
}

export interface RepairOptions {
  /** Fill boundary loops with at most this many edges. 0 disables hole filling. */
  maxHoleEdges: number;
  /** …and no vertex farther than this from the loop's centroid (mm): larger openings are design errors. */
  maxHoleRadiusMm: number;
  /** Locations kept per defect kind. */
  maxLocations: number;
  /** Apply the safe repairs (false = report only). */
  repair: boolean;
  /** Work on `input.indices` in place instead of a copy (saves T × 12 bytes of fresh memory). */
  inPlace: boolean;
}

export const DEFAULT_REPAIR_OPTIONS: RepairOptions = {
  inPlace: false,
  maxHoleEdges: 64,
  maxHoleRadiusMm: 1,
  maxLocations: 25,
  repair: true,
};

export interface RepairResult {
  mesh: IndexedMesh;
  repairs: Repair[];
  defects: Defect[];
  topology: TopologySummary;
  /** Shell id per triangle of the repaired mesh. */
  shellOf: Uint32Array;
  /** Signed volume per shell (mm³). */
  shellVolumes: Float64Array;
  /** Edge table of the repaired mesh (reused by the slicer to chain contours). */
  edges: EdgeTable;
}

const faceCentroid = (p: Float32Array, idx: Uint32Array, f: number): Vec3 => {
  const a = (idx[f * 3] ?? 0) * 3;
  const b = (idx[f * 3 + 1] ?? 0) * 3;
  const c = (idx[f * 3 + 2] ?? 0) * 3;
  return [
    ((p[a] ?? 0) + (p[b] ?? 0) + (p[c] ?? 0)) / 3,
    ((p[a + 1] ?? 0) + (p[b + 1] ?? 0) + (p[c + 1] ?? 0)) / 3,
    ((p[a + 2] ?? 0) + (p[b + 2] ?? 0) + (p[c + 2] ?? 0)) / 3,
  ];
};

const round3 = (v: Vec3): Vec3 => [
  Math.round(v[0] * 1000) / 1000,
  Math.round(v[1] * 1000) / 1000,
  Math.round(v[2] * 1000) / 1000,
];

class LocationList {
  readonly points: Vec3[] = [];
  count = 0;
  constructor(private readonly max: number) {}
  add(v: Vec3): void {
    this.count++;
    if (this.points.length < this.max) this.points.push(round3(v));
  }
}

const keepFaces = (idx: Uint32Array, keep: Uint8Array, kept: number): Uint32Array => {
  const out = new Uint32Array(kept * 3);
  let k = 0;
  for (let f = 0; f < keep.length; f++) {
    if (keep[f]) {
      out[k++] = idx[f * 3] ?? 0;
      out[k++] = idx[f * 3 + 1] ?? 0;
      out[k++] = idx[f * 3 + 2] ?? 0;
    }
  }
  return out;
};

/** Doubled triangle area (|cross product|). */
const area2 = (p: Float32Array, a: number, b: number, c: number): number => {
  const ax = p[a * 3] ?? 0;
  const ay = p[a * 3 + 1] ?? 0;
  const az = p[a * 3 + 2] ?? 0;
  const ux = (p[b * 3] ?? 0) - ax;
  const uy = (p[b * 3 + 1] ?? 0) - ay;
  const uz = (p[b * 3 + 2] ?? 0) - az;
  const wx = (p[c * 3] ?? 0) - ax;
  const wy = (p[c * 3 + 1] ?? 0) - ay;
  const wz = (p[c * 3 + 2] ?? 0) - az;
  const nx = uy * wz - uz * wy;
  const ny = uz * wx - ux * wz;
  const nz = ux * wy - uy * wx;
  return Math.sqrt(nx * nx + ny * ny + nz * nz);
};

const mix = (a: number, b: number, c: number): number => {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77) ^ Math.imul(c, 0xc2b2ae3d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return (h ^ (h >>> 12)) >>> 0;
};

/** Connected components of faces through any shared edge: union-find over edge runs. O(T α(T)). */
const findShells = (idx: Uint32Array, edges: EdgeTable): { shellOf: Uint32Array; shells: number } => {
  const T = idx.length / 3;
  const parent = new Uint32Array(T);
  for (let f = 0; f < T; f++) parent[f] = f;
  const find = (x: number): number => {
    let r = x;
    while ((parent[r] ?? r) !== r) r = parent[r] ?? r;
    let y = x;
    while (y !== r) {
      const n = parent[y] ?? r;
      parent[y] = r;
      y = n;
    }
    return r;
  };
  for (let e = 0; e < edges.edgeCount; e++) {
    const k0 = edges.edgeStart[e] ?? 0;
    const k1 = edges.edgeStart[e + 1] ?? 0;
    const a = find(((edges.order[k0] ?? 0) / 3) | 0);
    for (let k = k0 + 1; k < k1; k++) {
      const b = find(((edges.order[k] ?? 0) / 3) | 0);
      if (a !== b) parent[b] = a;
    }
  }
  const shellOf = new Uint32Array(T);
  const label = new Int32Array(T).fill(-1);
  let shells = 0;
  for (let f = 0; f < T; f++) {
    const r = find(f);
    let l = label[r] ?? -1;
    if (l < 0) {
      l = shells++;
      label[r] = l;
    }
    shellOf[f] = l;
  }
  return { shellOf, shells };
};

/**
 * Reverses the faces in `mask` in place (swap corners 1 and 2) and keeps the edge table valid: half-edge
 * 0→1 becomes 1→0 (now starting at corner 1… i.e. slot 2 after the swap) — slots 0 and 2 trade places. O(T).
 */
const applyFlips = (idx: Uint32Array, edges: EdgeTable, mask: Uint8Array): void => {
  for (let f = 0; f < mask.length; f++) {
    if (!mask[f]) continue;
    const b = idx[f * 3 + 1] ?? 0;
    idx[f * 3 + 1] = idx[f * 3 + 2] ?? 0;
    idx[f * 3 + 2] = b;
    const e0 = edges.heEdge[f * 3] ?? 0;
    edges.heEdge[f * 3] = edges.heEdge[f * 3 + 2] ?? 0;
    edges.heEdge[f * 3 + 2] = e0;
  }
  for (let i = 0; i < edges.order.length; i++) {
    const h = edges.order[i] ?? 0;
    const f = (h / 3) | 0;
    if (!mask[f]) continue;
    const j = h - f * 3;
    if (j !== 1) edges.order[i] = f * 3 + (2 - j);
  }
};

const shellSignedVolumes = (p: Float32Array, idx: Uint32Array, shellOf: Uint32Array, shells: number): Float64Array => {
  const vol = new Float64Array(shells);
  // Reference point: first vertex (keeps magnitudes small for jewelry-sized models anyway).
  const ox = p[0] ?? 0;
  const oy = p[1] ?? 0;
  const oz = p[2] ?? 0;
  for (let f = 0; f < shellOf.length; f++) {
    const a = (idx[f * 3] ?? 0) * 3;
    const b = (idx[f * 3 + 1] ?? 0) * 3;
    const c = (idx[f * 3 + 2] ?? 0) * 3;
    const ax = (p[a] ?? 0) - ox;
    const ay = (p[a + 1] ?? 0) - oy;
    const az = (p[a + 2] ?? 0) - oz;
    const bx = (p[b] ?? 0) - ox;
    const by = (p[b + 1] ?? 0) - oy;
    const bz = (p[b + 2] ?? 0) - oz;
    const cx = (p[c] ?? 0) - ox;
    const cy = (p[c + 1] ?? 0) - oy;
    const cz = (p[c + 2] ?? 0) - oz;
    const s = shellOf[f] ?? 0;
    vol[s] = (vol[s] ?? 0) + (ax * (by * cz - bz * cy) - ay * (bx * cz - bz * cx) + az * (bx * cy - by * cx)) / 6;
  }
  return vol;
};

const shellBoxes = (p: Float32Array, idx: Uint32Array, shellOf: Uint32Array, shells: number): Float64Array => {
  const box = new Float64Array(shells * 6);
  for (let s = 0; s < shells; s++) {
    box[s * 6] = box[s * 6 + 1] = box[s * 6 + 2] = Number.POSITIVE_INFINITY;
    box[s * 6 + 3] = box[s * 6 + 4] = box[s * 6 + 5] = Number.NEGATIVE_INFINITY;
  }
  for (let i = 0; i < idx.length; i++) {
    const s = (shellOf[(i / 3) | 0] ?? 0) * 6;
    const v = (idx[i] ?? 0) * 3;
    for (let k = 0; k < 3; k++) {
      const x = p[v + k] ?? 0;
      if (x < (box[s + k] ?? 0)) box[s + k] = x;
      if (x > (box[s + 3 + k] ?? 0)) box[s + 3 + k] = x;
    }
  }
  return box;
};

interface Ctx {
  opt: RepairOptions;
  repairs: Repair[];
  defects: Defect[];
  V0: number;
  positions: Float32Array;
  idx: Uint32Array;
  edges: EdgeTable;
  /** Shells labelled by the orientation pass, valid while `edges` is the table it walked. */
  patches?: { edges: EdgeTable; shellOf: Uint32Array; shells: number };
}

const stageCollapse = (ctx: Ctx): void => {
  const opt = ctx.opt;
  const repairs = ctx.repairs;
  const defects = ctx.defects;
  const positions = ctx.positions;
  let idx = ctx.idx;
  const edges = ctx.edges;
  const list = (): LocationList => new LocationList(opt.maxLocations);
  // 1. Collapsed and zero-area faces.
  {
    const T = idx.length / 3;
    // Collapsed faces are rare: list them instead of a keep mask per face.
    const dropped: number[] = [];
    const collapsed = list();
    const slivers = list();
    // Zero-area threshold relative to the model size: (1e-7 · diagonal)² doubled area.
    let x0 = Number.POSITIVE_INFINITY;
    let x1 = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < positions.length; i++) {
      const v = positions[i] ?? 0;
      if (v < x0) x0 = v;
      if (v > x1) x1 = v;
    }
    const eps = ((x1 - x0) * 1e-7) ** 2;
    for (let f = 0; f < T; f++) {
      const a = idx[f * 3] ?? 0;
      const b = idx[f * 3 + 1] ?? 0;
      const c = idx[f * 3 + 2] ?? 0;
      if (a === b || b === c || a === c) {
        collapsed.add(faceCentroid(positions, idx, f));
        dropped.push(f);
        continue;
      }
      if (area2(positions, a, b, c) <= eps) slivers.add(faceCentroid(positions, idx, f));
    }
    if (collapsed.count > 0) {
      const keep = new Uint8Array(T).fill(1);
      for (const f of dropped) keep[f] = 0;
      idx = keepFaces(idx, keep, T - dropped.length);
      repairs.push({
        kind: 'removed_collapsed_faces',
        count: collapsed.count,
        message: `Removed ${collapsed.count} degenerate faces whose corners coincide.`,
      });
      defects.push({
        kind: 'degenerate_face',
        severity: 'info',
        count: collapsed.count,
        message: `${collapsed.count} degenerate faces (corners coincide) were removed.`,
        locations: collapsed.points,
      });
    }
    if (slivers.count > 0) {
      defects.push({
        kind: 'degenerate_face',
        severity: 'info',
        count: slivers.count,
        message: `${slivers.count} faces have zero area (collinear corners); they do not change volume or weight.`,
        locations: slivers.points,
      });
    }
  }
  ctx.positions = positions;
  ctx.idx = idx;
  ctx.edges = edges;
};

const stageDuplicates = (ctx: Ctx): void => {
  const opt = ctx.opt;
  const repairs = ctx.repairs;
  const defects = ctx.defects;
  const V0 = ctx.V0;
  const positions = ctx.positions;
  let idx = ctx.idx;
  let edges = ctx.edges;
  const list = (): LocationList => new LocationList(opt.maxLocations);
  // 2. Duplicate faces. Only faces with an edge not shared by exactly two faces, or whose three neighbours are
  // one and the same face, can be duplicates: clean meshes skip the hash entirely.
  edges = buildEdges(idx, V0);
  {
    const T = idx.length / 3;
    const candidates: number[] = [];
    // Fast path: when every edge is shared by exactly two faces, a duplicate can only be an isolated pair of
    // faces (a two-face shell, reported as a floating shell later); the edge table's counts prove it.
    if (edges.boundaryEdges === 0 && edges.nonManifoldEdges === 0) {
      ctx.edges = edges;
      return;
    }
    const other = (h: number): number => {
      const e = edges.heEdge[h] ?? 0;
      const k0 = edges.edgeStart[e] ?? 0;
      if ((edges.edgeStart[e + 1] ?? 0) - k0 !== 2) return -1;
      const o = edges.order[k0] === h ? (edges.order[k0 + 1] ?? 0) : (edges.order[k0] ?? 0);
      return (o / 3) | 0;
    };
    for (let f = 0; f < T; f++) {
      const g0 = other(f * 3);
      const g1 = other(f * 3 + 1);
      const g2 = other(f * 3 + 2);
      if (g0 < 0 || g1 < 0 || g2 < 0 || (g0 === g1 && g1 === g2)) candidates.push(f);
    }
    const cap = 1 << Math.max(4, Math.ceil(Math.log2(candidates.length * 2 + 2)));
    const mask = cap - 1;
    const table = new Int32Array(cap).fill(-1);
    const keep = new Uint8Array(T).fill(1);
    const dups = list();
    let removed = 0;
    for (const f of candidates) {
      let a = idx[f * 3] ?? 0;
      let b = idx[f * 3 + 1] ?? 0;
      let c = idx[f * 3 + 2] ?? 0;
      // Sort the corners (the key), remember the cyclic parity (the winding).
      if (a > b) [a, b] = [b, a];
      if (b > c) [b, c] = [c, b];
      if (a > b) [a, b] = [b, a];
      let h = mix(a, b, c) & mask;
      for (;;) {
        const g = table[h] ?? -1;
        if (g === -1) {
          table[h] = f;
          break;
        }
        const ga = idx[g * 3] ?? 0;
        const gb = idx[g * 3 + 1] ?? 0;
        const gc = idx[g * 3 + 2] ?? 0;
        const same = Math.min(ga, gb, gc) === a && Math.max(ga, gb, gc) === c && ga + gb + gc - a - c === b;
        if (same) {
          dups.add(faceCentroid(positions, idx, f));
          if (keep[f]) {
            keep[f] = 0;
            removed++;
          }
          // Same winding: the earlier copy stays. Opposite winding: a zero-thickness double wall, drop both.
          const fa = idx[f * 3] ?? 0;
          const fb = idx[f * 3 + 1] ?? 0;
          const sameWinding = (fa === ga && fb === gb) || (fa === gb && fb === gc) || (fa === gc && fb === ga);
          if (!sameWinding && keep[g]) {
            keep[g] = 0;
            removed++;
          }
          break;
        }
        h = (h + 1) & mask;
      }
    }
    if (removed > 0) {
      idx = keepFaces(idx, keep, T - removed);
      edges = buildEdges(idx, V0);
      repairs.push({
        kind: 'removed_duplicate_faces',
        count: removed,
        message: `Removed ${removed} duplicate faces.`,
      });
      defects.push({
        kind: 'duplicate_face',
        severity: 'info',
        count: dups.count,
        message: `${dups.count} faces were duplicated; the copies were removed.`,
        locations: dups.points,
      });
    }
  }
  ctx.positions = positions;
  ctx.idx = idx;
  ctx.edges = edges;
};

const stageFins = (ctx: Ctx): void => {
  const opt = ctx.opt;
  const repairs = ctx.repairs;
  const defects = ctx.defects;
  const V0 = ctx.V0;
  const positions = ctx.positions;
  let idx = ctx.idx;
  let edges = ctx.edges;
  const list = (): LocationList => new LocationList(opt.maxLocations);
  // 3. Fins (a fin hinges on a non-manifold edge: none, nothing to look for).
  if (opt.repair && edges.nonManifoldEdges > 0) {
    const T = idx.length / 3;
    const keep = new Uint8Array(T).fill(1);
    const fins = list();
    for (let f = 0; f < T; f++) {
      let boundary = 0;
      let nonManifold = 0;
      for (let j = 0; j < 3; j++) {
        const e = edges.heEdge[f * 3 + j] ?? 0;
        const n = (edges.edgeStart[e + 1] ?? 0) - (edges.edgeStart[e] ?? 0);
        if (n === 1) boundary++;
        else if (n > 2) nonManifold++;
      }
      if (boundary === 2 && nonManifold === 1) {
        keep[f] = 0;
        fins.add(faceCentroid(positions, idx, f));
      }
    }
    if (fins.count > 0) {
      idx = keepFaces(idx, keep, T - fins.count);
      edges = buildEdges(idx, V0);
      repairs.push({ kind: 'removed_fins', count: fins.count, message: `Removed ${fins.count} dangling fin faces.` });
      defects.push({
        kind: 'fin',
        severity: 'info',
        count: fins.count,
        message: `${fins.count} dangling fin faces (hinged on an edge shared by three or more faces) were removed.`,
        locations: fins.points,
      });
    }
  }
  ctx.positions = positions;
  ctx.idx = idx;
  ctx.edges = edges;
};

const UNVISITED = 255;

const stageOrientation = (ctx: Ctx): void => {
  const opt = ctx.opt;
  const repairs = ctx.repairs;
  const defects = ctx.defects;
  const positions = ctx.positions;
  const idx = ctx.idx;
  const edges = ctx.edges;
  const list = (): LocationList => new LocationList(opt.maxLocations);
  // 4. Orientation: BFS over manifold edges; a neighbour is consistent when it runs the shared edge backwards.
  //    Each patch is flipped towards its majority so that the fewest faces change.
  {
    const T = idx.length / 3;
    // Per face: UNVISITED, then its parity within the patch; once the patch is done, 1 = flip this face.
    const flip = new Uint8Array(T).fill(UNVISITED);
    const queue = new Uint32Array(T);
    // Patches are numbered in order of their lowest face, like findShells numbers shells: without non-manifold
    // edges the patches are the shells, and the final stage reuses them instead of a union-find pass.
    const shellOf = new Uint32Array(T);
    let patches = 0;
    const flipped = list();
    let conflicts = 0;
    let flips = 0;
    let tail = 0;
    for (let s = 0; s < T; s++) {
      if (flip[s] !== UNVISITED) continue;
      const patch = patches++;
      const head0 = tail;
      let head = tail;
      queue[tail++] = s;
      flip[s] = 0;
      shellOf[s] = patch;
      let ones = 0;
      while (head < tail) {
        const f = queue[head++] ?? 0;
        const ff = flip[f] ?? 0;
        ones += ff;
        for (let j = 0; j < 3; j++) {
          const h = f * 3 + j;
          const e = edges.heEdge[h] ?? 0;
          const k0 = edges.edgeStart[e] ?? 0;
          if ((edges.edgeStart[e + 1] ?? 0) - k0 !== 2) continue;
          const o = edges.order[k0] === h ? (edges.order[k0 + 1] ?? 0) : (edges.order[k0] ?? 0);
          const g = (o / 3) | 0;
          // Same start vertex along the shared edge means the two faces wind inconsistently.
          const want = (idx[h] ?? 0) === (idx[o] ?? 0) ? 1 - ff : ff;
          const have = flip[g] ?? UNVISITED;
          if (have === UNVISITED) {
            flip[g] = want;
            shellOf[g] = patch;
            queue[tail++] = g;
          } else if (have !== want) conflicts++;
        }
      }
      const minority = ones * 2 > tail - head0 ? 0 : 1;
      if (ones === 0) continue;
      for (let i = head0; i < tail; i++) {
        const f = queue[i] ?? 0;
        if (flip[f] === minority) {
          flips++;
          flipped.add(faceCentroid(positions, idx, f));
          flip[f] = 1;
        } else flip[f] = 0;
      }
    }
    ctx.patches = { edges, shellOf, shells: patches };
    if (flips > 0 && opt.repair) applyFlips(idx, edges, flip);
    if (flips > 0) {
      if (opt.repair) {
        repairs.push({
          kind: 'unified_orientation',
          count: flips,
          message: `Flipped ${flips} faces that were oriented against their neighbours.`,
        });
      }
      defects.push({
        kind: 'inconsistent_orientation',
        severity: opt.repair ? 'info' : 'error',
        count: flips,
        message: `${flips} faces were oriented against their neighbours${opt.repair ? ' and were flipped' : ''}.`,
        locations: flipped.points,
      });
    }
    if (conflicts > 0) {
      defects.push({
        kind: 'non_orientable',
        severity: 'error',
        count: conflicts,
        message: 'Part of the surface cannot be oriented consistently (a Möbius-like or self-crossing surface).',
        locations: [],
      });
    }
  }
  ctx.positions = positions;
  ctx.idx = idx;
  ctx.edges = edges;
};

const stageHoles = (ctx: Ctx): void => {
  const opt = ctx.opt;
  const repairs = ctx.repairs;
  const defects = ctx.defects;
  const V0 = ctx.V0;
  let positions = ctx.positions;
  let idx = ctx.idx;
  let edges = ctx.edges;
  const list = (): LocationList => new LocationList(opt.maxLocations);
  // 5. Holes: boundary loops. For a boundary half-edge u→v, the hole runs v→u: next[v] = u.
  if (opt.repair && opt.maxHoleEdges > 0 && edges.boundaryEdges > 0) {
    const holeNext = new Int32Array(V0).fill(-1);
    const bad = new Uint8Array(V0);
    let boundaryEdges = 0;
    for (let e = 0; e < edges.edgeCount; e++) {
      const k0 = edges.edgeStart[e] ?? 0;
      if ((edges.edgeStart[e + 1] ?? 0) - k0 !== 1) continue;
      boundaryEdges++;
      const h = edges.order[k0] ?? 0;
      const u = idx[h] ?? 0;
      const v = heTo(idx, h);
      if (holeNext[v] !== -1) bad[v] = 1;
      holeNext[v] = u;
    }
    if (boundaryEdges > 0) {
      const added: number[] = [];
      const newPositions: number[] = [];
      const visited = new Uint8Array(V0);
      let filled = 0;
      const holes = list();
      for (let s = 0; s < V0; s++) {
        if (holeNext[s] === -1 || visited[s]) continue;
        const loop: number[] = [];
        let v = s;
        let ok = true;
        while (!visited[v]) {
          visited[v] = 1;
          if (bad[v]) ok = false;
          loop.push(v);
          const n = holeNext[v] ?? -1;
          if (n === -1) {
            ok = false;
            break;
          }
          v = n;
        }
        if (v !== s || loop.length < 3 || loop.length > opt.maxHoleEdges) ok = false;
        if (!ok) continue;
        let cx = 0;
        let cy = 0;
        let cz = 0;
        for (const w of loop) {
          cx += positions[w * 3] ?? 0;
          cy += positions[w * 3 + 1] ?? 0;
          cz += positions[w * 3 + 2] ?? 0;
        }
        cx /= loop.length;
        cy /= loop.length;
        cz /= loop.length;
        let radius2 = 0;
        for (const w of loop) {
          const d2 =
            ((positions[w * 3] ?? 0) - cx) ** 2 +
            ((positions[w * 3 + 1] ?? 0) - cy) ** 2 +
            ((positions[w * 3 + 2] ?? 0) - cz) ** 2;
          if (d2 > radius2) radius2 = d2;
        }
        if (radius2 > opt.maxHoleRadiusMm * opt.maxHoleRadiusMm) continue;
        holes.add([cx, cy, cz]);
        filled++;
        if (loop.length === 3) {
          added.push(loop[0] ?? 0, loop[1] ?? 0, loop[2] ?? 0);
          continue;
        }
        const centre = V0 + newPositions.length / 3;
        newPositions.push(cx, cy, cz);
        for (let i = 0; i < loop.length; i++) added.push(centre, loop[i] ?? 0, loop[(i + 1) % loop.length] ?? 0);
      }
      if (filled > 0) {
        const nextIdx = new Uint32Array(idx.length + added.length);
        nextIdx.set(idx);
        nextIdx.set(added, idx.length);
        idx = nextIdx;
        if (newPositions.length > 0) {
          const nextPos = new Float32Array(positions.length + newPositions.length);
          nextPos.set(positions);
          nextPos.set(newPositions, positions.length);
          positions = nextPos;
        }
        edges = buildEdges(idx, positions.length / 3);
        repairs.push({ kind: 'filled_holes', count: filled, message: `Closed ${filled} small holes.` });
        defects.push({
          kind: 'hole',
          severity: 'info',
          count: filled,
          message: `${filled} small holes were closed.`,
          locations: holes.points,
        });
      }
    }
  }
  ctx.positions = positions;
  ctx.idx = idx;
  ctx.edges = edges;
};

export const repairMesh = (
  input: IndexedMesh,
  options: Partial<RepairOptions> = {},
  deadline?: Deadline,
): RepairResult => {
  const opt = { ...DEFAULT_REPAIR_OPTIONS, ...options };
  let positions: Float32Array = input.positions;
  let idx: Uint32Array = opt.inPlace ? input.indices : input.indices.slice();
  const V0 = positions.length / 3;
  const repairs: Repair[] = [];
  const defects: Defect[] = [];
  const list = (): LocationList => new LocationList(opt.maxLocations);

  const ctx: Ctx = { opt, repairs, defects, V0, positions, idx, edges: buildEdges(new Uint32Array(0), 0) };
  // Each stage is its own function: V8 optimises small functions with local state far better than one large one.
  stageCollapse(ctx);
  deadline?.check();
  stageDuplicates(ctx);
  deadline?.check();
  stageFins(ctx);
  deadline?.check();
  stageOrientation(ctx);
  deadline?.check();
  stageHoles(ctx);
  deadline?.check();
  positions = ctx.positions;
  idx = ctx.idx;
  const edges = ctx.edges;

  // 6. Final topology, shells, inverted shells.
  const V = positions.length / 3;
  let boundaryEdges = 0;
  let nonManifoldEdges = 0;
  const boundaryAt = list();
  const nonManifoldAt = list();
  const closedManifold = edges.boundaryEdges === 0 && edges.nonManifoldEdges === 0;
  for (let e = 0; e < edges.edgeCount && !closedManifold; e++) {
    const k0 = edges.edgeStart[e] ?? 0;
    const n = (edges.edgeStart[e + 1] ?? 0) - k0;
    if (n === 2) continue;
    const h = edges.order[k0] ?? 0;
    const a = (idx[h] ?? 0) * 3;
    const b = heTo(idx, h) * 3;
    const mid: Vec3 = [
      ((positions[a] ?? 0) + (positions[b] ?? 0)) / 2,
      ((positions[a + 1] ?? 0) + (positions[b + 1] ?? 0)) / 2,
      ((positions[a + 2] ?? 0) + (positions[b + 2] ?? 0)) / 2,
    ];
    if (n === 1) {
      boundaryEdges++;
      boundaryAt.add(mid);
    } else {
      nonManifoldEdges++;
      nonManifoldAt.add(mid);
    }
  }
  if (boundaryEdges > 0) {
    defects.push({
      kind: 'boundary_edge',
      severity: 'error',
      count: boundaryEdges,
      message: `The surface is open: ${boundaryEdges} edges border a hole too large to close automatically.`,
      locations: boundaryAt.points,
    });
  }
  if (nonManifoldEdges > 0) {
    defects.push({
      kind: 'non_manifold_edge',
      severity: 'error',
      count: nonManifoldEdges,
      message: `${nonManifoldEdges} edges are shared by more than two faces.`,
      locations: nonManifoldAt.points,
    });
  }
  // The orientation patches are the shells when they were walked on this very table and no edge joins more than
  // two faces (the BFS only crosses manifold edges, the union-find crosses every shared edge).
  const patches = ctx.patches;
  const { shellOf, shells } =
    patches && patches.edges === edges && edges.nonManifoldEdges === 0 ? patches : findShells(idx, edges);
  const vols = shellSignedVolumes(positions, idx, shellOf, shells);
  // Boxes only serve cavities, inverted and floating shells: a single outward shell needs none.
  const boxes =
    shells > 1 || (vols[0] ?? 0) < 0 ? shellBoxes(positions, idx, shellOf, shells) : new Float64Array(shells * 6);
  const inside = (s: number, t: number): boolean => {
    for (let k = 0; k < 3; k++) {
      if ((boxes[s * 6 + k] ?? 0) < (boxes[t * 6 + k] ?? 0)) return false;
      if ((boxes[s * 6 + 3 + k] ?? 0) > (boxes[t * 6 + 3 + k] ?? 0)) return false;
    }
    return true;
  };
  let main = 0;
  for (let s = 1; s < shells; s++) if (Math.abs(vols[s] ?? 0) > Math.abs(vols[main] ?? 0)) main = s;
  // A negative shell inside a positive one is a cavity (hollow piece) and stays; any other negative shell is
  // inside-out and is flipped.
  const invert = new Uint8Array(shells);
  const cavity = new Uint8Array(shells);
  const inverted = list();
  for (let s = 0; s < shells; s++) {
    if ((vols[s] ?? 0) >= 0) continue;
    let contained = false;
    for (let t = 0; t < shells && !contained; t++) {
      if (t !== s && (vols[t] ?? 0) > 0 && inside(s, t)) contained = true;
    }
    if (contained) cavity[s] = 1;
    else {
      invert[s] = 1;
      inverted.add([
        ((boxes[s * 6] ?? 0) + (boxes[s * 6 + 3] ?? 0)) / 2,
        ((boxes[s * 6 + 1] ?? 0) + (boxes[s * 6 + 4] ?? 0)) / 2,
        ((boxes[s * 6 + 2] ?? 0) + (boxes[s * 6 + 5] ?? 0)) / 2,
      ]);
    }
  }
  if (inverted.count > 0) {
    if (opt.repair) {
      const mask = new Uint8Array(shellOf.length);
      for (let f = 0; f < shellOf.length; f++) mask[f] = invert[shellOf[f] ?? 0] ?? 0;
      applyFlips(idx, edges, mask);
      for (let s = 0; s < shells; s++) if (invert[s]) vols[s] = -(vols[s] ?? 0);
      repairs.push({
        kind: 'flipped_inverted_shells',
        count: inverted.count,
        message: `Turned ${inverted.count} inside-out shells the right way round.`,
      });
    }
    defects.push({
      kind: 'inverted_shell',
      severity: opt.repair ? 'info' : 'error',
      count: inverted.count,
      message: `${inverted.count} shells were inside-out (normals pointing inwards)${opt.repair ? ' and were flipped' : ''}.`,
      locations: inverted.points,
    });
  }
  const floating = list();
  for (let s = 0; s < shells; s++) {
    if (s === main || cavity[s]) continue;
    floating.add([
      ((boxes[s * 6] ?? 0) + (boxes[s * 6 + 3] ?? 0)) / 2,
      ((boxes[s * 6 + 1] ?? 0) + (boxes[s * 6 + 4] ?? 0)) / 2,
      ((boxes[s * 6 + 2] ?? 0) + (boxes[s * 6 + 5] ?? 0)) / 2,
    ]);
  }
  if (floating.count > 0) {
    defects.push({
      kind: 'floating_shell',
      severity: 'warning',
      count: floating.count,
      message: `${floating.count} separate parts float apart from the main piece; each needs its own sprue or a connection.`,
      locations: floating.points,
    });
  }
  const orientable = !defects.some((d) => d.kind === 'non_orientable');
  const T = idx.length / 3;
  return {
    mesh: { positions, indices: idx },
    repairs,
    defects,
    topology: {
      triangles: T,
      vertices: V,
      edges: edges.edgeCount,
      boundaryEdges,
      nonManifoldEdges,
      shells,
      watertight: boundaryEdges === 0 && nonManifoldEdges === 0 && orientable,
      orientable,
      eulerCharacteristic: V - edges.edgeCount + T,
    },
    shellOf,
    shellVolumes: vols,
    edges,
  };
};
