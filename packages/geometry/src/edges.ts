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
}

export const buildEdges = (indices: Uint32Array, vertexCount: number): EdgeTable => {
  const H = indices.length;
  const bucketStart = new Uint32Array(vertexCount + 1);
  // Pass 1: bucket sizes by the smaller vertex.
  for (let f = 0; f < H; f += 3) {
    const a = indices[f] ?? 0;
    const b = indices[f + 1] ?? 0;
    const c = indices[f + 2] ?? 0;
    const l0 = a < b ? a : b;
    const l1 = b < c ? b : c;
    const l2 = c < a ? c : a;
    bucketStart[l0 + 1] = (bucketStart[l0 + 1] ?? 0) + 1;
    bucketStart[l1 + 1] = (bucketStart[l1 + 1] ?? 0) + 1;
    bucketStart[l2 + 1] = (bucketStart[l2 + 1] ?? 0) + 1;
  }
  for (let v = 0; v < vertexCount; v++) bucketStart[v + 1] = (bucketStart[v + 1] ?? 0) + (bucketStart[v] ?? 0);
  // Pass 2: scatter half-edges into buckets, with their larger vertex alongside (contiguous sort keys).
  const fill = bucketStart.slice(0, vertexCount);
  const order = new Uint32Array(H);
  // One extra slot: after grouping, the same memory holds edgeStart (see pass 3).
  const key = new Uint32Array(H + 1);
  for (let h = 0; h < H; h++) {
    const a = indices[h] ?? 0;
    const b = indices[h % 3 === 2 ? h - 2 : h + 1] ?? 0;
    const l = a < b ? a : b;
    const at = fill[l] ?? 0;
    order[at] = h;
    key[at] = a < b ? b : a;
    fill[l] = at + 1;
  }
  // Pass 3: group each bucket by the larger vertex; each group is one undirected edge. edgeStart[e] is written
  // into `key` itself: e ≤ i whenever position i is read, so no unread key is ever overwritten.
  const heEdge = new Uint32Array(H);
  const edgeStart = key;
  let e = 0;
  for (let v = 0; v < vertexCount; v++) {
    const s = bucketStart[v] ?? 0;
    const t = bucketStart[v + 1] ?? 0;
    if (t - s > 32) {
      const ids = Array.from({ length: t - s }, (_, i) => s + i).sort((x, y) => (key[x] ?? 0) - (key[y] ?? 0));
      const o = ids.map((i) => order[i] ?? 0);
      const k = ids.map((i) => key[i] ?? 0);
      order.set(o, s);
      key.set(k, s);
    } else {
      for (let i = s + 1; i < t; i++) {
        const h = order[i] ?? 0;
        const kv = key[i] ?? 0;
        let j = i - 1;
        while (j >= s && (key[j] ?? 0) > kv) {
          order[j + 1] = order[j] ?? 0;
          key[j + 1] = key[j] ?? 0;
          j--;
        }
        order[j + 1] = h;
        key[j + 1] = kv;
      }
    }
    let prev = -1;
    for (let i = s; i < t; i++) {
      const kv = key[i] ?? 0;
      if (kv !== prev) {
        edgeStart[e] = i;
        e++;
        prev = kv;
      }
      heEdge[order[i] ?? 0] = e - 1;
    }
  }
  edgeStart[e] = H;
  return { heEdge, order, edgeStart: edgeStart.subarray(0, e + 1), edgeCount: e };
};

/** Start vertex of half-edge h. */
export const heFrom = (indices: Uint32Array, h: number): number => indices[h] ?? 0;
/** End vertex of half-edge h. */
export const heTo = (indices: Uint32Array, h: number): number => indices[h % 3 === 2 ? h - 2 : h + 1] ?? 0;
