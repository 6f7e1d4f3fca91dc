/**
 * Edge topology in compressed form. Half-edge h = 3·face + corner (corner → next corner). Half-edges are bucketed
 * by their smaller vertex (counting sort), then grouped by the larger one, so each undirected edge is a contiguous
 * run in `order`: edge e owns order[edgeStart[e] .. edgeStart[e+1]). Run length 1 = boundary, 2 = manifold,
 * > 2 = non-manifold. O(T + V) time, except buckets of more than 32 half-edges (fans) which are sorted.
 */

export interface EdgeTable {
  /** Undirected edge id of every half-edge. */
  heEdge: Uint32Array;
  /** Half-edges grouped by edge. */
  order: Uint32Array;
  /** Run boundaries, length edgeCount + 1. */
  edgeStart: Uint32Array;
  edgeCount: number;
  /** Edges with one half-edge (runs of length 1). */
  boundaryEdges: number;
  /** Edges with more than two half-edges. */
  nonManifoldEdges: number;
}

/** Buckets up to this size are sorted by insertion in a small scratch; larger fans go through Array.sort. */
const SMALL_BUCKET = 32;

export const buildEdges = (indices: Uint32Array, vertexCount: number): EdgeTable => {
  const H = indices.length;
  const bucketEnd = new Uint32Array(vertexCount + 1);
  // Pass 1: bucket sizes by the smaller vertex, then exclusive prefix sums (bucketEnd[v] = start of bucket v).
  for (let f = 0; f < H; f += 3) {
    const a = indices[f] ?? 0;
    const b = indices[f + 1] ?? 0;
    const c = indices[f + 2] ?? 0;
    const l0 = a < b ? a : b;
    const l1 = b < c ? b : c;
    const l2 = c < a ? c : a;
    bucketEnd[l0 + 1] = (bucketEnd[l0 + 1] ?? 0) + 1;
    bucketEnd[l1 + 1] = (bucketEnd[l1 + 1] ?? 0) + 1;
    bucketEnd[l2 + 1] = (bucketEnd[l2 + 1] ?? 0) + 1;
  }
  for (let v = 0; v < vertexCount; v++) bucketEnd[v + 1] = (bucketEnd[v + 1] ?? 0) + (bucketEnd[v] ?? 0);
  // Pass 2: scatter half-edges into buckets in ascending order. Advancing the start as the cursor leaves
  // bucketEnd[v] at the end of bucket v, so no separate cursor array is needed.
  const order = new Uint32Array(H);
  for (let h = 0; h < H; h++) {
    const a = indices[h] ?? 0;
    const b = indices[h % 3 === 2 ? h - 2 : h + 1] ?? 0;
    const l = a < b ? a : b;
    const at = bucketEnd[l] ?? 0;
    order[at] = h;
    bucketEnd[l] = at + 1;
  }
  // Pass 3: stable-sort each bucket by the larger vertex (read back from `indices` into a small scratch rather
  // than stored per half-edge); each group is one undirected edge. edgeStart has room for H + 1 entries but only
  // E + 1 are written: the untouched tail never costs a page.
  const heEdge = new Uint32Array(H);
  const edgeStart = new Uint32Array(H + 1);
  let bucketHe = new Uint32Array(64);
  let bucketKey = new Uint32Array(64);
  let boundaryEdges = 0;
  let nonManifoldEdges = 0;
  let e = 0;
  let s = 0;
  for (let v = 0; v < vertexCount; v++) {
    const t = bucketEnd[v] ?? 0;
    const n = t - s;
    if (n > bucketHe.length) {
      bucketHe = new Uint32Array(n * 2);
      bucketKey = new Uint32Array(n * 2);
    }
    for (let i = 0; i < n; i++) {
      const h = order[s + i] ?? 0;
      bucketHe[i] = h;
      bucketKey[i] = largerEnd(indices, h);
    }
    if (n > SMALL_BUCKET) sortFan(bucketHe, bucketKey, n);
    else insertionSort(bucketHe, bucketKey, n);
    let runStart = 0;
    for (let i = 0; i < n; i++) {
      const h = bucketHe[i] ?? 0;
      order[s + i] = h;
      if (i === 0 || bucketKey[i] !== bucketKey[i - 1]) {
        if (i - runStart === 1) boundaryEdges++;
        else if (i - runStart > 2) nonManifoldEdges++;
        edgeStart[e++] = s + i;
        runStart = i;
      }
      heEdge[h] = e - 1;
    }
    if (n - runStart === 1) boundaryEdges++;
    else if (n - runStart > 2) nonManifoldEdges++;
    s = t;
  }
  edgeStart[e] = H;
  return { heEdge, order, edgeStart: edgeStart.subarray(0, e + 1), edgeCount: e, boundaryEdges, nonManifoldEdges };
};

/** Stable insertion sort of the first n (half-edge, key) pairs by key: buckets are ~6 long on real meshes. */
const insertionSort = (he: Uint32Array, key: Uint32Array, n: number): void => {
  for (let i = 1; i < n; i++) {
    const h = he[i] ?? 0;
    const k = key[i] ?? 0;
    let j = i - 1;
    while (j >= 0 && (key[j] ?? 0) > k) {
      he[j + 1] = he[j] ?? 0;
      key[j + 1] = key[j] ?? 0;
      j--;
    }
    he[j + 1] = h;
    key[j + 1] = k;
  }
};

/** Stable sort of a large fan (Array.prototype.sort is stable). */
const sortFan = (he: Uint32Array, key: Uint32Array, n: number): void => {
  const ids = Array.from({ length: n }, (_, i) => i).sort((x, y) => (key[x] ?? 0) - (key[y] ?? 0));
  const sortedHe = ids.map((i) => he[i] ?? 0);
  const sortedKey = ids.map((i) => key[i] ?? 0);
  he.set(sortedHe);
  key.set(sortedKey);
};

/** The larger end vertex of half-edge h: the key that groups a bucket into edges. */
const largerEnd = (indices: Uint32Array, h: number): number => {
  const a = indices[h] ?? 0;
  const b = indices[h % 3 === 2 ? h - 2 : h + 1] ?? 0;
  return a < b ? b : a;
};

/** Start vertex of half-edge h. */
export const heFrom = (indices: Uint32Array, h: number): number => indices[h] ?? 0;
/** End vertex of half-edge h. */
export const heTo = (indices: Uint32Array, h: number): number => indices[h % 3 === 2 ? h - 2 : h + 1] ?? 0;
