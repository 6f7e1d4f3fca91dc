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
  const lo = new Uint32Array(H);
  const hi = new Uint32Array(H);
  const bucketStart = new Uint32Array(vertexCount + 1);
  for (let f = 0; f < H; f += 3) {
    for (let j = 0; j < 3; j++) {
      const a = indices[f + j] ?? 0;
      const b = indices[f + (j === 2 ? 0 : j + 1)] ?? 0;
      const l = a < b ? a : b;
      lo[f + j] = l;
      hi[f + j] = a < b ? b : a;
      bucketStart[l + 1] = (bucketStart[l + 1] ?? 0) + 1;
    }
  }
  for (let v = 0; v < vertexCount; v++) bucketStart[v + 1] = (bucketStart[v + 1] ?? 0) + (bucketStart[v] ?? 0);
  const fill = bucketStart.slice(0, vertexCount);
  const order = new Uint32Array(H);
  for (let h = 0; h < H; h++) {
    const l = lo[h] ?? 0;
    const at = fill[l] ?? 0;
    order[at] = h;
    fill[l] = at + 1;
  }
  const heEdge = new Uint32Array(H);
  const edgeStart = new Uint32Array(H + 1);
  let e = 0;
  for (let v = 0; v < vertexCount; v++) {
    const s = bucketStart[v] ?? 0;
    const t = bucketStart[v + 1] ?? 0;
    if (t - s > 32) {
      const sorted = Array.from(order.subarray(s, t)).sort((x, y) => (hi[x] ?? 0) - (hi[y] ?? 0));
      order.set(sorted, s);
    } else {
      // Insertion sort by the larger vertex.
      for (let i = s + 1; i < t; i++) {
        const h = order[i] ?? 0;
        const key = hi[h] ?? 0;
        let k = i - 1;
        while (k >= s && (hi[order[k] ?? 0] ?? 0) > key) {
          order[k + 1] = order[k] ?? 0;
          k--;
        }
        order[k + 1] = h;
      }
    }
    let prev = -1;
    for (let i = s; i < t; i++) {
      const h = order[i] ?? 0;
      const key = hi[h] ?? 0;
      if (key !== prev) {
        edgeStart[e] = i;
        e++;
        prev = key;
      }
      heEdge[h] = e - 1;
    }
  }
  edgeStart[e] = H;
  return { heEdge, order, edgeStart: edgeStart.slice(0, e + 1), edgeCount: e };
};

/** Start vertex of half-edge h. */
export const heFrom = (indices: Uint32Array, h: number): number => indices[h] ?? 0;
/** End vertex of half-edge h. */
export const heTo = (indices: Uint32Array, h: number): number => indices[h % 3 === 2 ? h - 2 : h + 1] ?? 0;
