/**
 * Wall thickness by inward rays: from a face's centroid along the inverted normal to the first surface hit
 * (BVH, O(log T) per ray). The distance is the local wall thickness. Rays are spread by area: a face gets a ray
 * once the faces walked since the last ray cover `rayAreaMm2` (default 50 × 50 µm, one DLP pixel), so a coarse
 * mesh gets one ray per face and a very fine one is sampled evenly over its surface; each ray stands for the
 * faces and area it covers. O(R log T), R ≤ min(T, area / rayAreaMm2 + faces larger than that).
 */
import { type Bvh, hit, raycast } from './bvh.ts';
import type { Deadline } from './errors.ts';
import type { IndexedMesh, Vec3 } from './mesh.ts';

export interface WallOptions {
  /** Faces below this thickness are counted and located (mm). */
  minimumMm: number;
  /** Surface area (mm²) one ray stands for at most; 0 = a ray for every face. */
  rayAreaMm2: number;
  /** Upper bound on rays cast (stride sampling beyond). */
  maxRays: number;
  /** Thin spots reported, at least `spotSpacingMm` apart. */
  maxSpots: number;
  spotSpacingMm: number;
}

export const DEFAULT_WALL_OPTIONS: WallOptions = {
  minimumMm: 0.6,
  rayAreaMm2: 0.0025,
  maxRays: 2_000_000,
  maxSpots: 20,
  spotSpacingMm: 1,
};

export interface WallResult {
  /** Thickness per ray (mm); NaN where the ray escaped (open surface). */
  thickness: Float32Array;
  /** Face id each ray started from. */
  faces: Uint32Array;
  /** Surface area each ray stands for (mm²). */
  rayArea: Float32Array;
  /** Largest measured thickness (mm). */
  maxMm: number | null;
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
  /** Area and face count each ray stands for. */
  const area = new Float32Array(R);
  const covers = new Uint32Array(R);
  // Far enough to cross any jewelry piece; the BVH bounds limit the real work.
  const tMax = 1e4;
  let r = 0;
  let accArea = 0;
  let accFaces = 0;
  for (let f = 0; f < T; f++) {
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
    accArea += len / 2;
    accFaces++;
    if (len === 0 || (accArea < opt.rayAreaMm2 && f !== T - 1) || (stride > 1 && f % stride !== 0) || r >= R) continue;
    const cx = ax + (ux + wx) / 3;
    const cy = ay + (uy + wy) / 3;
    const cz = az + (uz + wz) / 3;
    faces[r] = f;
    centroid[r * 3] = cx;
    centroid[r * 3 + 1] = cy;
    centroid[r * 3 + 2] = cz;
    area[r] = accArea;
    covers[r] = accFaces;
    accArea = 0;
    accFaces = 0;
    nx /= len;
    ny /= len;
    nz /= len;
    thickness[r++] = raycast(bvh, cx, cy, cz, -nx, -ny, -nz, 1e-6, tMax, f) ? hit.t : Number.NaN;
    if ((r & 0x3fff) === 0) deadline?.check();
  }
  const valid = thickness
    .subarray(0, r)
    .filter((v) => !Number.isNaN(v))
    .sort();
  const q = (frac: number): number | null =>
    valid.length === 0 ? null : (valid[Math.min(valid.length - 1, Math.floor(frac * valid.length))] ?? null);
  let below = 0;
  let areaBelow = 0;
  const candidates: number[] = [];
  for (let i = 0; i < r; i++) {
    const t = thickness[i] ?? Number.NaN;
    if (t < opt.minimumMm) {
      below += (covers[i] ?? 1) * stride;
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
    thickness: thickness.slice(0, r),
    faces: faces.slice(0, r),
    rayArea: area.slice(0, r),
    maxMm: valid.length === 0 ? null : (valid[valid.length - 1] ?? null),
    minMm: q(0),
    p5Mm: q(0.05),
    medianMm: q(0.5),
    facesMeasured: valid.length,
    facesBelowMinimum: below,
    areaBelowMinimumMm2: areaBelow,
    thinSpots: spots,
  };
};
