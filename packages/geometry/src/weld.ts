/**
 * Vertex welding. Pass 1 merges bit-identical positions with an open-addressing hash table (O(n) expected);
 * pass 2 merges the remaining vertices that lie within `tolerance` of each other using a spatial hash with
 * cells of 16 × tolerance, probing neighbour cells only for vertices near a cell face (O(V) expected).
 * Unreferenced vertices are dropped.
 */
import type { Deadline } from './errors.ts';
import type { IndexedMesh } from './mesh.ts';

export interface WeldResult extends IndexedMesh {
  /** Vertex references before welding (3 × triangles for triangle soups). */
  inputVertices: number;
  /** Vertices merged by the tolerance pass (after exact merging). */
  mergedByTolerance: number;
}

const mix = (a: number, b: number, c: number): number => {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77) ^ Math.imul(c, 0xc2b2ae3d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h >>> 0;
};

/**
 * Open-addressing hash table of distinct positions keyed by their float bits (-0 normalised to +0 by the
 * caller). `add` returns the id of an equal position or appends a new one. Grows at load ½. O(1) expected.
 */
export class VertexTable {
  private table: Int32Array;
  private mask: number;
  private bits: Uint32Array;
  count = 0;

  constructor(expectedDistinct: number) {
    const cap = 1 << Math.max(10, Math.ceil(Math.log2(Math.max(16, expectedDistinct * 2))));
    this.table = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
    this.bits = new Uint32Array(Math.max(48, (cap >> 1) * 3));
  }

  add(a: number, b: number, c: number): number {
    const mask = this.mask;
    const table = this.table;
    const bits = this.bits;
    let h = mix(a, b, c) & mask;
    for (;;) {
      const e = table[h] ?? -1;
      if (e === -1) break;
      const q = e * 3;
      if (bits[q] === a && bits[q + 1] === b && bits[q + 2] === c) return e;
      h = (h + 1) & mask;
    }
    const id = this.count++;
    if (id * 3 + 3 > bits.length) {
      const next = new Uint32Array(bits.length * 2);
      next.set(bits);
      this.bits = next;
    }
    const q = id * 3;
    this.bits[q] = a;
    this.bits[q + 1] = b;
    this.bits[q + 2] = c;
    table[h] = id;
    if (this.count * 2 > table.length) this.grow();
    return id;
  }

  private grow(): void {
    const cap = this.table.length * 2;
    const table = new Int32Array(cap).fill(-1);
    const mask = cap - 1;
    const bits = this.bits;
    for (let u = 0; u < this.count; u++) {
      const w = u * 3;
      let g = mix(bits[w] ?? 0, bits[w + 1] ?? 0, bits[w + 2] ?? 0) & mask;
      while (table[g] !== -1) g = (g + 1) & mask;
      table[g] = u;
    }
    this.table = table;
    this.mask = mask;
  }

  /** The distinct positions, 3 floats each: a view over the table's own storage (no copy, no new pages). */
  positions(): Float32Array {
    return new Float32Array(this.bits.buffer, 0, this.count * 3);
  }
}

/** Exact weld: returns unique positions and a remap for every input vertex (-1 when unreferenced). */
const exactWeld = (mesh: IndexedMesh, deadline?: Deadline): { positions: Float32Array; remap: Int32Array } => {
  const src = mesh.positions;
  const bits = new Uint32Array(src.buffer, src.byteOffset, src.length);
  const nIn = (src.length / 3) | 0;
  const remap = new Int32Array(nIn).fill(-1);
  // Closed meshes have about T/2 distinct vertices.
  const table = new VertexTable(Math.min(nIn, mesh.indices.length / 6 + 1));
  const idx = mesh.indices;
  for (let s = 0; s < idx.length; s++) {
    const v = idx[s] ?? 0;
    if (remap[v] !== -1) continue;
    const o = v * 3;
    // -0 and +0 are the same position.
    let a = bits[o] ?? 0;
    let b = bits[o + 1] ?? 0;
    let c = bits[o + 2] ?? 0;
    if (a === 0x80000000) a = 0;
    if (b === 0x80000000) b = 0;
    if (c === 0x80000000) c = 0;
    remap[v] = table.add(a, b, c);
    if ((s & 0xfffff) === 0) deadline?.check();
  }
  return { positions: table.positions(), remap };
};

/** Tolerance weld over unique positions: returns the representative of each vertex (-1 never). */
const toleranceWeld = (positions: Float32Array, tolerance: number): { rep: Int32Array; merged: number } => {
  const n = (positions.length / 3) | 0;
  const rep = new Int32Array(n);
  const cell = tolerance * 16;
  const inv = 1 / cell;
  const cap = 1 << Math.max(10, Math.ceil(Math.log2(n * 2 + 1)));
  const mask = cap - 1;
  const keys = new Int32Array(cap * 3);
  const head = new Int32Array(cap).fill(-1);
  const next = new Int32Array(n).fill(-1);
  const tol2 = tolerance * tolerance;
  let merged = 0;
  const slotOf = (cx: number, cy: number, cz: number, insert: boolean): number => {
    let h = mix(cx, cy, cz) & mask;
    for (;;) {
      if (head[h] === -1) return insert ? h : -1;
      if (keys[h * 3] === cx && keys[h * 3 + 1] === cy && keys[h * 3 + 2] === cz) return h;
      h = (h + 1) & mask;
    }
  };
  for (let v = 0; v < n; v++) {
    const x = positions[v * 3] ?? 0;
    const y = positions[v * 3 + 1] ?? 0;
    const z = positions[v * 3 + 2] ?? 0;
    const fx = x * inv;
    const fy = y * inv;
    const fz = z * inv;
    const cx = Math.floor(fx);
    const cy = Math.floor(fy);
    const cz = Math.floor(fz);
    // Neighbour offsets needed per axis: -1 when near the low face, +1 near the high face.
    const t = tolerance * inv;
    const dx = fx - cx < t ? -1 : fx - cx > 1 - t ? 1 : 0;
    const dy = fy - cy < t ? -1 : fy - cy > 1 - t ? 1 : 0;
    const dz = fz - cz < t ? -1 : fz - cz > 1 - t ? 1 : 0;
    let found = -1;
    for (let ix = 0; ix <= (dx === 0 ? 0 : 1) && found < 0; ix++) {
      for (let iy = 0; iy <= (dy === 0 ? 0 : 1) && found < 0; iy++) {
        for (let iz = 0; iz <= (dz === 0 ? 0 : 1) && found < 0; iz++) {
          const s = slotOf(cx + ix * dx, cy + iy * dy, cz + iz * dz, false);
          if (s < 0) continue;
          for (let u = head[s] ?? -1; u !== -1; u = next[u] ?? -1) {
            const ex = (positions[u * 3] ?? 0) - x;
            const ey = (positions[u * 3 + 1] ?? 0) - y;
            const ez = (positions[u * 3 + 2] ?? 0) - z;
            if (ex * ex + ey * ey + ez * ez <= tol2) {
              found = u;
              break;
            }
          }
        }
      }
    }
    if (found >= 0) {
      rep[v] = found;
      merged++;
      continue;
    }
    rep[v] = v;
    const s = slotOf(cx, cy, cz, true);
    if (head[s] === -1) {
      keys[s * 3] = cx;
      keys[s * 3 + 1] = cy;
      keys[s * 3 + 2] = cz;
    }
    next[v] = head[s] ?? -1;
    head[s] = v;
  }
  return { rep, merged };
};

/**
 * Welds a mesh. `tolerance` in millimetres (0 = exact only). The result shares nothing with the input.
 */
export const weld = (mesh: IndexedMesh, tolerance = 0, deadline?: Deadline): WeldResult => {
  const { positions, remap } = exactWeld(mesh, deadline);
  const src = mesh.indices;
  const indices = new Uint32Array(src.length);
  if (!(tolerance > 0)) {
    for (let i = 0; i < src.length; i++) indices[i] = remap[src[i] ?? 0] ?? 0;
    return { positions, indices, inputVertices: src.length, mergedByTolerance: 0 };
  }
  const { rep, merged } = toleranceWeld(positions, tolerance);
  if (merged === 0) {
    for (let i = 0; i < src.length; i++) indices[i] = remap[src[i] ?? 0] ?? 0;
    return { positions, indices, inputVertices: src.length, mergedByTolerance: 0 };
  }
  // Compact representatives.
  const n = rep.length;
  const compact = new Int32Array(n).fill(-1);
  let k = 0;
  for (let v = 0; v < n; v++) if (rep[v] === v) compact[v] = k++;
  const out = new Float32Array(k * 3);
  for (let v = 0; v < n; v++) {
    const c = compact[v] ?? -1;
    if (c >= 0) {
      out[c * 3] = positions[v * 3] ?? 0;
      out[c * 3 + 1] = positions[v * 3 + 1] ?? 0;
      out[c * 3 + 2] = positions[v * 3 + 2] ?? 0;
    }
  }
  for (let i = 0; i < src.length; i++) indices[i] = compact[rep[remap[src[i] ?? 0] ?? 0] ?? 0] ?? 0;
  return { positions: out, indices, inputVertices: src.length, mergedByTolerance: merged };
};
