/**
 * Wall thickness by inward rays: from each face's centroid along the inverted normal to the first surface hit
 * (BVH, O(log T) per ray). The distance is the local wall thickness. With more faces than `maxRays`, faces are
 * sampled at an even stride (the report says how many were measured). O(R log T).
 */
import { type Bvh, hit, raycast } from './bvh.ts';
import type { Deadline } from './errors.ts';
import type { IndexedMesh, Vec3 } from './mesh.ts';

export interface WallOptions {
  /** Faces below this thickness are counted and located (mm). */
  minimumMm: number;
  /** Upper bound on rays cast (stride sampling beyond). */
  maxRays: number;
  /** Thin spots reported, at least `spotSpacingMm` apart. */
  maxSpots: number;
  spotSpacingMm: number;
}

export const DEFAULT_WALL_OPTIONS: WallOptions = { minimumMm: 0.6, maxRays: 2_000_000, maxSpots: 20, spotSpacingMm: 1 };

export interface WallResult {
  /** Thickness per measured face (mm); NaN where the ray escaped (open surface). */
  thickness: Float32Array;
  /** Face id of each measurement. */
  faces: Uint32Array;
  minMm: number | null;
  p5Mm: number | null;
  medianMm: number | null;
  facesMeasured: number;
  facesBelowMinimum: number;
  areaBelowMinimumMm2: number;
  thinSpots: Array<{ at: Vec3; thicknessMm: number }>;
}

export const measureWalls = (
  mesh: IndexedMesh,
  bvh: Bvh,
  options: Partial<WallOptions> = {},
  deadline?: Deadline,
): WallResult => {
  const opt = { ...DEFAULT_WALL_OPTIONS, ...options };
  const p = mesh.positions;
  const idx = mesh.indices;
  const T = idx.length / 3;
  const stride = Math.max(1, Math.ceil(T / opt.maxRays));
  const R = Math.ceil(T / stride);
  const thickness = new Float32Array(R);
  const faces = new Uint32Array(R);
  const centroid = new Float32Array(R * 3);
  const area = new Float32Array(R);
  // Far enough to cross any jewelry piece; the BVH bounds limit the real work.
  const tMax = 1e4;
  let r = 0;
  for (let f = 0; f < T; f += stride) {
    const a = (idx[f * 3] ?? 0) * 3;
    const b = (idx[f * 3 + 1] ?? 0) * 3;
    const c = (idx[f * 3 + 2] ?? 0) * 3;
    const ax = p[a] ?? 0;
    const ay = p[a + 1] ?? 0;
    const az = p[a + 2] ?? 0;
    const ux = (p[b] ?? 0) - ax;
    const uy = (p[b + 1] ?? 0) - ay;
    const uz = (p[b + 2] ?? 0) - az;
    const wx = (p[c] ?? 0) - ax;
    const wy = (p[c + 1] ?? 0) - ay;
    const wz = (p[c + 2] ?? 0) - az;
    let nx = uy * wz - uz * wy;
    let ny = uz * wx - ux * wz;
    let nz = ux * wy - uy * wx;
    const len = Math.sqrt(nx * nx + ny * ny + nz * nz);
    const cx = ax + (ux + wx) / 3;
    const cy = ay + (uy + wy) / 3;
    const cz = az + (uz + wz) / 3;
    faces[r] = f;
    centroid[r * 3] = cx;
    centroid[r * 3 + 1] = cy;
    centroid[r * 3 + 2] = cz;
    area[r] = len / 2;
    if (len === 0) {
      thickness[r++] = Number.NaN;
      continue;
    }
    nx /= len;
    ny /= len;
    nz /= len;
    thickness[r++] = raycast(bvh, cx, cy, cz, -nx, -ny, -nz, 1e-6, tMax, f) ? hit.t : Number.NaN;
    if ((r & 0x3fff) === 0) deadline?.check();
  }
  const valid = thickness.filter((v) => !Number.isNaN(v)).sort();
  const q = (frac: number): number | null =>
    valid.length === 0 ? null : (valid[Math.min(valid.length - 1, Math.floor(frac * valid.length))] ?? null);
  let below = 0;
  let areaBelow = 0;
  const candidates: number[] = [];
  for (let i = 0; i < R; i++) {
    const t = thickness[i] ?? Number.NaN;
    if (t < opt.minimumMm) {
      below++;
      areaBelow += (area[i] ?? 0) * stride;
      candidates.push(i);
    }
  }
  candidates.sort((x, y) => (thickness[x] ?? 0) - (thickness[y] ?? 0));
  const spots: WallResult['thinSpots'] = [];
  const spacing2 = opt.spotSpacingMm * opt.spotSpacingMm;
  for (const i of candidates) {
    if (spots.length >= opt.maxSpots) break;
    const x = centroid[i * 3] ?? 0;
    const y = centroid[i * 3 + 1] ?? 0;
    const z = centroid[i * 3 + 2] ?? 0;
    if (spots.some((s) => (s.at[0] - x) ** 2 + (s.at[1] - y) ** 2 + (s.at[2] - z) ** 2 < spacing2)) continue;
    spots.push({
      at: [Math.round(x * 1000) / 1000, Math.round(y * 1000) / 1000, Math.round(z * 1000) / 1000],
      thicknessMm: Math.round((thickness[i] ?? 0) * 1000) / 1000,
    });
  }
  return {
    thickness,
    faces,
    minMm: q(0),
    p5Mm: q(0.05),
    medianMm: q(0.5),
    facesMeasured: valid.length,
    facesBelowMinimum: below * stride,
    areaBelowMinimumMm2: areaBelow,
    thinSpots: spots,
  };
};
