/**
 * The shared mesh representation: flat typed arrays, no per-triangle objects.
 * `positions` holds x, y, z per vertex (millimetres); `indices` holds three vertex ids per triangle.
 */

export type ModelFormat = 'stl-binary' | 'stl-ascii' | 'obj' | '3mf';

export interface IndexedMesh {
  positions: Float32Array;
  indices: Uint32Array;
}

export interface ParsedModel extends IndexedMesh {
  format: ModelFormat;
  /** The unit the file declared (3MF) or the assumed one (STL/OBJ carry none: millimetres). */
  sourceUnit: string;
  /** Non-fatal observations made while reading (e.g. polygons triangulated). */
  notes: string[];
  /** True when the reader already merged bit-identical corners (binary STL): an exact weld would be a no-op. */
  exactWelded?: boolean;
}

export type Vec3 = [number, number, number];

export const triangleCount = (m: IndexedMesh): number => (m.indices.length / 3) | 0;
export const vertexCount = (m: IndexedMesh): number => (m.positions.length / 3) | 0;

/** Axis-aligned bounds of all referenced and unreferenced vertices. O(V). */
export const bounds = (positions: Float32Array): { min: Vec3; max: Vec3 } => {
  let x0 = Number.POSITIVE_INFINITY;
  let y0 = Number.POSITIVE_INFINITY;
  let z0 = Number.POSITIVE_INFINITY;
  let x1 = Number.NEGATIVE_INFINITY;
  let y1 = Number.NEGATIVE_INFINITY;
  let z1 = Number.NEGATIVE_INFINITY;
  for (let i = 0; i + 2 < positions.length; i += 3) {
    const x = positions[i] ?? 0;
    const y = positions[i + 1] ?? 0;
    const z = positions[i + 2] ?? 0;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
    if (z < z0) z0 = z;
    if (z > z1) z1 = z;
  }
  if (x0 > x1) return { min: [0, 0, 0], max: [0, 0, 0] };
  return { min: [x0, y0, z0], max: [x1, y1, z1] };
};
