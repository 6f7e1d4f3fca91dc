/**
 * Images: a shaded thumbnail (orthographic, z-buffer, Lambert + ambient, 2× supersampled, transparent
 * background) and layer masks from slice segments (non-zero winding, scanline accumulation).
 * Thumbnail O(T + pixels); layer image O(segments × rows crossed + pixels).
 */
import type { Deadline } from './errors.ts';
import type { IndexedMesh } from './mesh.ts';
import { encodePng } from './png.ts';
import type { SliceResult } from './slice.ts';

export interface ThumbnailOptions {
  size: number;
  /** Base colour (sRGB 0–255). Default: polished yellow gold. */
  color: [number, number, number];
}

export const renderThumbnail = (
  mesh: IndexedMesh,
  options: Partial<ThumbnailOptions> = {},
  deadline?: Deadline,
): Uint8Array => {
  const size = Math.max(16, Math.min(2048, Math.round(options.size ?? 256)));
  const [cr, cg, cb] = options.color ?? [212, 175, 55];
  const S = size * 2;
  const p = mesh.positions;
  const idx = mesh.indices;
  const V = p.length / 3;
  // Camera: looking along d = (-1, 1, -0.8)·… from the front-right-top. Basis r (right), u (up), d (forward).
  const norm = (x: number, y: number, z: number): [number, number, number] => {
    const l = Math.hypot(x, y, z) || 1;
    return [x / l, y / l, z / l];
  };
  const d = norm(-0.55, 0.75, -0.6);
  const r = norm(d[1] * 1 - d[2] * 0, d[2] * 0 - d[0] * 1, 0); // d × ẑ
  const u: [number, number, number] = [r[1] * d[2] - r[2] * d[1], r[2] * d[0] - r[0] * d[2], r[0] * d[1] - r[1] * d[0]];
  const sx = new Float32Array(V);
  const sy = new Float32Array(V);
  const sz = new Float32Array(V);
  let x0 = Number.POSITIVE_INFINITY;
  let x1 = Number.NEGATIVE_INFINITY;
  let y0 = Number.POSITIVE_INFINITY;
  let y1 = Number.NEGATIVE_INFINITY;
  for (let v = 0; v < V; v++) {
    const x = p[v * 3] ?? 0;
    const y = p[v * 3 + 1] ?? 0;
    const z = p[v * 3 + 2] ?? 0;
    const a = x * r[0] + y * r[1] + z * r[2];
    const b = x * u[0] + y * u[1] + z * u[2];
    sx[v] = a;
    sy[v] = b;
    sz[v] = x * d[0] + y * d[1] + z * d[2];
    if (a < x0) x0 = a;
    if (a > x1) x1 = a;
    if (b < y0) y0 = b;
    if (b > y1) y1 = b;
  }
  const extent = Math.max(x1 - x0, y1 - y0) || 1;
  const scale = (S * 0.9) / extent;
  const offX = S / 2 - ((x0 + x1) / 2) * scale;
  const offY = S / 2 + ((y0 + y1) / 2) * scale;
  for (let v = 0; v < V; v++) {
    sx[v] = (sx[v] ?? 0) * scale + offX;
    sy[v] = offY - (sy[v] ?? 0) * scale;
  }
  const depth = new Float32Array(S * S).fill(Number.POSITIVE_INFINITY);
  const shade = new Float32Array(S * S).fill(-1);
  const light = norm(0.3, 0.6, 1);
  const T = idx.length / 3;
  for (let t = 0; t < T; t++) {
    const a = idx[t * 3] ?? 0;
    const b = idx[t * 3 + 1] ?? 0;
    const c = idx[t * 3 + 2] ?? 0;
    const ax = sx[a] ?? 0;
    const ay = sy[a] ?? 0;
    const bx = sx[b] ?? 0;
    const by = sy[b] ?? 0;
    const cx = sx[c] ?? 0;
    const cy = sy[c] ?? 0;
    // Screen y points down, so front faces are clockwise on screen (negative area).
    const area = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
    if (area >= 0) continue;
    // World normal for shading.
    const pa = a * 3;
    const pb = b * 3;
    const pc = c * 3;
    const ux = (p[pb] ?? 0) - (p[pa] ?? 0);
    const uy = (p[pb + 1] ?? 0) - (p[pa + 1] ?? 0);
    const uz = (p[pb + 2] ?? 0) - (p[pa + 2] ?? 0);
    const wx = (p[pc] ?? 0) - (p[pa] ?? 0);
    const wy = (p[pc + 1] ?? 0) - (p[pa + 1] ?? 0);
    const wz = (p[pc + 2] ?? 0) - (p[pa + 2] ?? 0);
    const n = norm(uy * wz - uz * wy, uz * wx - ux * wz, ux * wy - uy * wx);
    const lambert = Math.max(0, n[0] * light[0] + n[1] * light[1] + n[2] * light[2]);
    // A touch of specular towards the viewer for a metallic look.
    const hx = light[0] - d[0];
    const hy = light[1] - d[1];
    const hz = light[2] - d[2];
    const hl = Math.hypot(hx, hy, hz) || 1;
    const spec = Math.max(0, (n[0] * hx + n[1] * hy + n[2] * hz) / hl) ** 24;
    const value = Math.min(1.4, 0.25 + 0.75 * lambert + 0.6 * spec);
    const minX = Math.max(0, Math.floor(Math.min(ax, bx, cx)));
    const maxX = Math.min(S - 1, Math.ceil(Math.max(ax, bx, cx)));
    const minY = Math.max(0, Math.floor(Math.min(ay, by, cy)));
    const maxY = Math.min(S - 1, Math.ceil(Math.max(ay, by, cy)));
    const za = sz[a] ?? 0;
    const zb = sz[b] ?? 0;
    const zc = sz[c] ?? 0;
    const inv = 1 / area;
    for (let y = minY; y <= maxY; y++) {
      const py = y + 0.5;
      for (let x = minX; x <= maxX; x++) {
        const px = x + 0.5;
        const w0 = ((bx - px) * (cy - py) - (by - py) * (cx - px)) * inv;
        const w1 = ((cx - px) * (ay - py) - (cy - py) * (ax - px)) * inv;
        const w2 = 1 - w0 - w1;
        if (w0 < 0 || w1 < 0 || w2 < 0) continue;
        const z = w0 * za + w1 * zb + w2 * zc;
        const o = y * S + x;
        if (z < (depth[o] ?? 0)) {
          depth[o] = z;
          shade[o] = value;
        }
      }
    }
    if ((t & 0xffff) === 0) deadline?.check();
  }
  // 2×2 box downsample to RGBA.
  const out = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let sum = 0;
      let cover = 0;
      for (let j = 0; j < 2; j++) {
        for (let i = 0; i < 2; i++) {
          const v = shade[(y * 2 + j) * S + x * 2 + i] ?? -1;
          if (v >= 0) {
            sum += v;
            cover++;
          }
        }
      }
      const o = (y * size + x) * 4;
      if (cover === 0) continue;
      const v = sum / cover;
      out[o] = Math.min(255, Math.round(cr * v));
      out[o + 1] = Math.min(255, Math.round(cg * v));
      out[o + 2] = Math.min(255, Math.round(cb * v));
      out[o + 3] = Math.round((cover / 4) * 255);
    }
  }
  return encodePng(size, size, out, 4);
};

export interface LayerImageOptions {
  /** Pixel size in mm (e.g. 0.05 for a 50 µm DLP printer). */
  pixelMm: number;
  /** Area covered (mm), usually the model's xy bounds. */
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** zlib level for the PNGs (1 = fast). */
  level: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
}

/**
 * Renders layer k as an 8-bit mask PNG (255 = solid). Pixel centres are sampled; a crossing adds its winding
 * direction at the first pixel centre to its right, and a running sum along each row gives the winding number.
 */
export const createLayerRenderer = (slices: SliceResult, options: LayerImageOptions) => {
  const W = Math.max(1, Math.ceil((options.x1 - options.x0) / options.pixelMm));
  const H = Math.max(1, Math.ceil((options.y1 - options.y0) / options.pixelMm));
  const acc = new Int16Array((W + 1) * H);
  const img = new Uint8Array(W * H);
  const inv = 1 / options.pixelMm;
  const seg = slices.segments;
  return {
    width: W,
    height: H,
    render(k: number): Uint8Array {
      acc.fill(0);
      const s0 = slices.layerStart[k] ?? 0;
      const s1 = slices.layerStart[k + 1] ?? 0;
      for (let s = s0; s < s1; s++) {
        const xa = ((seg[s * 4] ?? 0) - options.x0) * inv;
        const ya = ((seg[s * 4 + 1] ?? 0) - options.y0) * inv;
        const xb = ((seg[s * 4 + 2] ?? 0) - options.x0) * inv;
        const yb = ((seg[s * 4 + 3] ?? 0) - options.y0) * inv;
        if (ya === yb) continue;
        const dir = yb > ya ? 1 : -1;
        const lo = Math.min(ya, yb);
        const hi = Math.max(ya, yb);
        // Rows whose centre (row + 0.5) lies in [lo, hi).
        const r0 = Math.max(0, Math.ceil(lo - 0.5));
        const r1 = Math.min(H - 1, Math.ceil(hi - 0.5) - 1);
        const slope = (xb - xa) / (yb - ya);
        for (let row = r0; row <= r1; row++) {
          const x = xa + (row + 0.5 - ya) * slope;
          let col = Math.ceil(x - 0.5);
          if (col < 0) col = 0;
          if (col > W) col = W;
          const o = row * (W + 1) + col;
          acc[o] = (acc[o] ?? 0) + dir;
        }
      }
      for (let row = 0; row < H; row++) {
        let w = 0;
        const o = row * (W + 1);
        // Image rows go top-down: flip y.
        const out = (H - 1 - row) * W;
        for (let col = 0; col < W; col++) {
          w += acc[o + col] ?? 0;
          img[out + col] = w !== 0 ? 255 : 0;
        }
      }
      return encodePng(W, H, img, 1, options.level);
    },
  };
};
