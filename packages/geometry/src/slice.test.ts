import { unzlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { computeMetrics } from './metrics.ts';
import { createLayerRenderer, renderThumbnail } from './render.ts';
import { box, torus } from './shapes.ts';
import { estimatePrintSeconds, GENERIC_DLP_PROFILE, sliceMesh } from './slice.ts';
import { repairMesh } from './topology.ts';

/** Decodes the IDAT of our own grayscale PNGs and counts solid pixels (un-filtering "up" rows). */
const solidPixels = (png: Uint8Array): { w: number; h: number; solid: number } => {
  const v = new DataView(png.buffer, png.byteOffset);
  const w = v.getUint32(16);
  const h = v.getUint32(20);
  let o = 8;
  const parts: Uint8Array[] = [];
  while (o < png.length) {
    const len = v.getUint32(o);
    const type = String.fromCharCode(...png.subarray(o + 4, o + 8));
    if (type === 'IDAT') parts.push(png.subarray(o + 8, o + 8 + len));
    o += 12 + len;
  }
  const raw = unzlibSync(parts[0] ?? new Uint8Array(0));
  let solid = 0;
  const prev = new Uint8Array(w);
  for (let y = 0; y < h; y++) {
    const filter = raw[y * (w + 1)];
    for (let x = 0; x < w; x++) {
      const val = ((raw[y * (w + 1) + 1 + x] ?? 0) + (filter === 2 ? (prev[x] ?? 0) : 0)) & 0xff;
      prev[x] = val;
      if (val === 255) solid++;
    }
  }
  return { w, h, solid };
};

describe('sliceMesh', () => {
  it('slices a box into exact layers with one contour each', () => {
    // Act
    const s = sliceMesh(box(10, 5, 2), { layerHeightMm: 0.025, edges: repairMesh(box(10, 5, 2)).edges });
    // Assess
    expect(s.layerCount).toBe(80);
    for (const a of s.areas) expect(a).toBeCloseTo(50, 4);
    expect(Math.max(...s.contours)).toBe(1);
    expect(s.openChains).toBe(0);
    expect(s.volumeMm3).toBeCloseTo(100, 3);
  });

  it('finds two contours (outside and hole) in the middle layers of a ring', () => {
    // Prepare
    const t = torus(9, 1, 128, 32);
    const fixed = repairMesh(t);
    // Act
    const s = sliceMesh(fixed.mesh, { layerHeightMm: 0.05, edges: fixed.edges });
    // Assess
    expect(s.contours[Math.floor(s.layerCount / 2)]).toBe(2);
    expect(s.openChains).toBe(0);
    expect(Math.abs(s.volumeMm3 - computeMetrics(t).volumeMm3) / s.volumeMm3).toBeLessThan(0.005);
  });

  it('renders layer masks whose solid pixels match the layer area', () => {
    // Prepare
    const t = torus(9, 1, 128, 32);
    const s = sliceMesh(t, { layerHeightMm: 0.05 });
    const px = 0.05;
    const renderer = createLayerRenderer(s, { pixelMm: px, x0: -10, y0: -10, x1: 10, y1: 10, level: 1 });
    const k = Math.floor(s.layerCount / 2);
    // Act
    const png = renderer.render(k);
    // Assess
    const { w, h, solid } = solidPixels(png);
    expect([w, h]).toEqual([400, 400]);
    expect(Math.abs(solid * px * px - (s.areas[k] ?? 0)) / (s.areas[k] ?? 1)).toBeLessThan(0.02);
  });

  it('estimates print time from the layer count', () => {
    const p = GENERIC_DLP_PROFILE;
    expect(estimatePrintSeconds(0)).toBe(0);
    expect(estimatePrintSeconds(100)).toBeCloseTo(
      p.jobOverheadS + 5 * p.bottomExposureS + 95 * p.exposureS + 100 * p.perLayerOverheadS,
    );
  });
});

describe('renderThumbnail', () => {
  it('produces a PNG of the requested size with the model in it', () => {
    // Act
    const png = renderThumbnail(torus(9, 1.5, 64, 16), { size: 128 });
    // Assess
    expect(Array.from(png.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const v = new DataView(png.buffer, png.byteOffset);
    expect([v.getUint32(16), v.getUint32(20)]).toEqual([128, 128]);
    expect(png.length).toBeGreaterThan(500);
  });
});
