/**
 * Slicing into horizontal layers. Plane k sits at z = zMin + (k + ½)·h (layer mid-height). Each triangle meets
 * the planes between its lowest and highest corner; a corner counts as "above" when z ≥ plane, so no plane
 * ever passes exactly through a corner and every segment is well-defined. Segments are oriented along ẑ × n,
 * so on a closed, outward-oriented mesh Σ ½ (x₁y₂ − x₂y₁) is the signed cross-section area without chaining
 * contours. Contours are chained per layer through the mesh edges the segment endpoints lie on.
 * O(T + S) where S = number of segments (Σ layers spanned per triangle).
 */
import type { EdgeTable } from './edges.ts';
import { type Deadline, ModelError } from './errors.ts';
import type { IndexedMesh } from './mesh.ts';

export interface SliceResult {
  layerHeightMm: number;
  zMin: number;
  layerCount: number;
  /** Cross-section area per layer (mm²). */
  areas: Float64Array;
  /** Closed contours per layer (0 when no edge table was given). */
  contours: Uint32Array;
  /** Contours that did not close (open surface), over all layers. */
  openChains: number;
  /** Σ area × h (mm³). */
  volumeMm3: number;
  /** Segment endpoints x1 y1 x2 y2, grouped by layer (layerStart). Kept for layer images. */
  segments: Float32Array;
  layerStart: Uint32Array;
}

export interface SliceOptions {
  layerHeightMm: number;
  /** Mesh edges (from topology) to chain contours; omitted = areas only. */
  edges?: EdgeTable;
  /** Maximum number of segments (memory cap); beyond it the slicer throws ModelError('model_too_complex'). */
  maxSegments: number;
}

export const sliceMesh = (mesh: IndexedMesh, options: Partial<SliceOptions> = {}, deadline?: Deadline): SliceResult => {
  const h = options.layerHeightMm ?? 0.025;
  const maxSegments = options.maxSegments ?? 40_000_000;
  const p = mesh.positions;
  const idx = mesh.indices;
  const T = idx.length / 3;
  let zMin = Number.POSITIVE_INFINITY;
  let zMax = Number.NEGATIVE_INFINITY;
  for (let i = 2; i < p.length; i += 3) {
    const z = p[i] ?? 0;
    if (z < zMin) zMin = z;
    if (z > zMax) zMax = z;
  }
  if (!(zMax > zMin)) {
    return {
      layerHeightMm: h,
      zMin: Number.isFinite(zMin) ? zMin : 0,
      layerCount: 0,
      areas: new Float64Array(0),
      contours: new Uint32Array(0),
      openChains: 0,
      volumeMm3: 0,
      segments: new Float32Array(0),
      layerStart: new Uint32Array(1),
    };
  }
  const L = Math.max(1, Math.ceil((zMax - zMin) / h - 1e-9));
  const plane = (k: number): number => zMin + (k + 0.5) * h;
  // First plane index with plane(k) > z (a corner at z is "below" it), i.e. the first plane above z.
  const firstAbove = (z: number): number => {
    let k = Math.floor((z - zMin) / h - 0.5) + 1;
    if (k < 0) k = 0;
    while (k > 0 && plane(k - 1) > z) k--;
    while (k < L && plane(k) <= z) k++;
    return k;
  };
  // Pass 1: count segments per layer.
  const layerStart = new Uint32Array(L + 1);
  const kLo = new Int32Array(T);
  const kHi = new Int32Array(T);
  let S = 0;
  for (let t = 0; t < T; t++) {
    const za = p[(idx[t * 3] ?? 0) * 3 + 2] ?? 0;
    const zb = p[(idx[t * 3 + 1] ?? 0) * 3 + 2] ?? 0;
    const zc = p[(idx[t * 3 + 2] ?? 0) * 3 + 2] ?? 0;
    const lo = za < zb ? (za < zc ? za : zc) : zb < zc ? zb : zc;
    const hi = za > zb ? (za > zc ? za : zc) : zb > zc ? zb : zc;
    // Planes with lo < plane ≤ hi … precisely: some corner below (z < plane) and some above (z ≥ plane).
    const k0 = firstAbove(lo);
    let k1 = firstAbove(hi) - 1;
    // plane(k1) ≤ hi; a plane equal to hi has the top corner "above" and others below: still a crossing.
    if (k1 >= L) k1 = L - 1;
    kLo[t] = k0;
    kHi[t] = k1;
    for (let k = k0; k <= k1; k++) layerStart[k + 1] = (layerStart[k + 1] ?? 0) + 1;
    if (k1 >= k0) S += k1 - k0 + 1;
    if ((t & 0xffff) === 0) deadline?.check();
  }
  if (S > maxSegments) {
    throw new ModelError(
      'model_too_complex',
      'The model is too large or too detailed to slice at this layer height. Please contact us for a manual quote.',
      { segments: S, limit: maxSegments },
    );
  }
  for (let k = 0; k < L; k++) layerStart[k + 1] = (layerStart[k + 1] ?? 0) + (layerStart[k] ?? 0);
  const fill = layerStart.slice(0, L);
  const seg = new Float32Array(S * 4);
  const edges = options.edges;
  const segFrom = edges ? new Uint32Array(S) : new Uint32Array(0);
  const segTo = edges ? new Uint32Array(S) : new Uint32Array(0);
  const areas = new Float64Array(L);
  // Pass 2: segments. Hot loop: no closures, no allocation.
  for (let t = 0; t < T; t++) {
    const k0 = kLo[t] ?? 0;
    const k1 = kHi[t] ?? -1;
    if (k1 < k0) continue;
    const i0 = idx[t * 3] ?? 0;
    const i1 = idx[t * 3 + 1] ?? 0;
    const i2 = idx[t * 3 + 2] ?? 0;
    const z0 = p[i0 * 3 + 2] ?? 0;
    const z1 = p[i1 * 3 + 2] ?? 0;
    const z2 = p[i2 * 3 + 2] ?? 0;
    for (let k = k0; k <= k1; k++) {
      const z = zMin + (k + 0.5) * h;
      const a0 = z0 >= z ? 1 : 0;
      const a1 = z1 >= z ? 1 : 0;
      const a2 = z2 >= z ? 1 : 0;
      const above = a0 + a1 + a2;
      if (above === 0 || above === 3) continue;
      // The lone corner (alone on its side of the plane).
      const corner = above === 1 ? (a0 ? 0 : a1 ? 1 : 2) : a0 ? (a1 ? 2 : 1) : 0;
      const u = corner === 0 ? i0 : corner === 1 ? i1 : i2;
      const next = corner === 0 ? i1 : corner === 1 ? i2 : i0;
      const prev = corner === 0 ? i2 : corner === 1 ? i0 : i1;
      // Lone corner above: from edge (u, next) to edge (prev, u); below: from (prev, u) to (u, next).
      // Half-edge ids: u→next starts at `corner`, prev→u starts at corner − 1.
      const heA = t * 3 + corner;
      const heB = t * 3 + (corner === 0 ? 2 : corner - 1);
      const fromNext = above === 1;
      const at = fill[k] ?? 0;
      fill[k] = at + 1;
      // Both endpoints are on edges (u, next) and (u, prev); each computed from the smaller vertex id so that
      // the two triangles sharing an edge produce bit-identical points.
      let lo = u < next ? u : next;
      let hi = u < next ? next : u;
      let zl = p[lo * 3 + 2] ?? 0;
      let f = (z - zl) / ((p[hi * 3 + 2] ?? 0) - zl);
      let xl = p[lo * 3] ?? 0;
      let yl = p[lo * 3 + 1] ?? 0;
      const xn = xl + f * ((p[hi * 3] ?? 0) - xl);
      const yn = yl + f * ((p[hi * 3 + 1] ?? 0) - yl);
      lo = u < prev ? u : prev;
      hi = u < prev ? prev : u;
      zl = p[lo * 3 + 2] ?? 0;
      f = (z - zl) / ((p[hi * 3 + 2] ?? 0) - zl);
      xl = p[lo * 3] ?? 0;
      yl = p[lo * 3 + 1] ?? 0;
      const xp = xl + f * ((p[hi * 3] ?? 0) - xl);
      const yp = yl + f * ((p[hi * 3 + 1] ?? 0) - yl);
      const o = at * 4;
      if (fromNext) {
        seg[o] = xn;
        seg[o + 1] = yn;
        seg[o + 2] = xp;
        seg[o + 3] = yp;
        areas[k] = (areas[k] ?? 0) + (xn * yp - xp * yn) * 0.5;
        if (edges) {
          segFrom[at] = edges.heEdge[heA] ?? 0;
          segTo[at] = edges.heEdge[heB] ?? 0;
        }
      } else {
        seg[o] = xp;
        seg[o + 1] = yp;
        seg[o + 2] = xn;
        seg[o + 3] = yn;
        areas[k] = (areas[k] ?? 0) + (xp * yn - xn * yp) * 0.5;
        if (edges) {
          segFrom[at] = edges.heEdge[heB] ?? 0;
          segTo[at] = edges.heEdge[heA] ?? 0;
        }
      }
    }
    if ((t & 0xffff) === 0) deadline?.check();
  }
  let volume = 0;
  for (let k = 0; k < L; k++) volume += (areas[k] ?? 0) * h;
  const contours = new Uint32Array(L);
  let openChains = 0;
  if (edges) {
    // Chain per layer: segment leaving edge e ← map[e]; a contour closes when it returns to its start.
    const startAt = new Int32Array(edges.edgeCount).fill(-1);
    const stamp = new Int32Array(edges.edgeCount).fill(-1);
    const used = new Uint8Array(S);
    for (let k = 0; k < L; k++) {
      const s0 = layerStart[k] ?? 0;
      const s1 = layerStart[k + 1] ?? 0;
      for (let s = s0; s < s1; s++) {
        const e = segFrom[s] ?? 0;
        startAt[e] = s;
        stamp[e] = k;
      }
      let closed = 0;
      for (let s = s0; s < s1; s++) {
        if (used[s]) continue;
        let cur = s;
        let ok = false;
        for (;;) {
          used[cur] = 1;
          const e = segTo[cur] ?? 0;
          if (stamp[e] !== k) break;
          const n = startAt[e] ?? -1;
          if (n === s) {
            ok = true;
            break;
          }
          if (n < 0 || used[n]) break;
          cur = n;
        }
        if (ok) closed++;
        else openChains++;
      }
      contours[k] = closed;
    }
  }
  return {
    layerHeightMm: h,
    zMin,
    layerCount: L,
    areas,
    contours,
    openChains,
    volumeMm3: volume,
    segments: seg,
    layerStart,
  };
};

/** Printer profile for the print-time estimate. */
export interface PrinterProfile {
  name: string;
  /** Exposure per normal layer (s). */
  exposureS: number;
  /** Burn-in layers at the bottom and their exposure (s). */
  bottomLayers: number;
  bottomExposureS: number;
  /** Peel/lift/retract/settle per layer (s). */
  perLayerOverheadS: number;
  /** Fixed time per job: homing, resin settling (s). */
  jobOverheadS: number;
}

/**
 * DEMO profile of a generic DLP printer with castable resin: exposure and lift times in the ranges in
 * JEWELRY.md ("exposure 1–10 s per layer"); replace with the shop's measured figures.
 */
export const GENERIC_DLP_PROFILE: Readonly<PrinterProfile> = Object.freeze({
  name: 'generic-dlp-castable (demo)',
  exposureS: 2.5,
  bottomLayers: 5,
  bottomExposureS: 20,
  perLayerOverheadS: 5.5,
  jobOverheadS: 120,
});

/** A DLP/SLA printer exposes a whole layer at once: time depends on the layer count, not on the area. O(1). */
export const estimatePrintSeconds = (layers: number, profile: PrinterProfile = GENERIC_DLP_PROFILE): number => {
  if (layers <= 0) return 0;
  const bottom = Math.min(layers, profile.bottomLayers);
  return (
    profile.jobOverheadS +
    bottom * profile.bottomExposureS +
    (layers - bottom) * profile.exposureS +
    layers * profile.perLayerOverheadS
  );
};
