/**
 * STL readers. Binary: 80-byte header, uint32 count, 50 bytes per triangle (normal, 3 vertices, attribute).
 * ASCII: `facet normal … outer loop vertex x y z ×3 endloop endfacet`. Normals are ignored (recomputed from the
 * winding). Both produce an unwelded IndexedMesh (3 vertices per triangle, identity indices). O(bytes).
 */
import { type Deadline, type Limits, ModelError } from './errors.ts';
import type { ParsedModel } from './mesh.ts';
import { isSpace, matchWord, scan, scanNumber } from './text.ts';
import { VertexTable } from './weld.ts';

export const STL_HEADER_BYTES = 84;
export const STL_RECORD_BYTES = 50;

/** True when the byte length agrees exactly (or within one record of padding) with the header's count. */
export const binaryStlSizeMatches = (bytes: Uint8Array): boolean => {
  if (bytes.length < STL_HEADER_BYTES) return false;
  const count = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(80, true);
  const expected = STL_HEADER_BYTES + count * STL_RECORD_BYTES;
  return bytes.length >= expected && bytes.length - expected < STL_RECORD_BYTES;
};

const checkCoordinate = (v: number, limits: Limits, where: number): void => {
  if (!Number.isFinite(v)) {
    throw new ModelError(
      'non_finite_coordinate',
      'The model contains an invalid coordinate (NaN or infinity). Please re-export it from your design software.',
      { triangle: where },
    );
  }
  if (v > limits.maxCoordinateMm || v < -limits.maxCoordinateMm) {
    throw new ModelError(
      'coordinate_out_of_range',
      `The model extends beyond ${limits.maxCoordinateMm} mm. Please check that it is exported in millimetres.`,
      { triangle: where },
    );
  }
};

export const parseBinaryStl = (bytes: Uint8Array, limits: Limits, deadline: Deadline): ParsedModel => {
  if (bytes.length < STL_HEADER_BYTES) {
    throw new ModelError('truncated_stl', 'The STL file is truncated: it is shorter than its 84-byte header.');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(80, true);
  const expected = STL_HEADER_BYTES + count * STL_RECORD_BYTES;
  if (count === 0xffffffff || bytes.length - expected >= STL_RECORD_BYTES) {
    throw new ModelError(
      'stl_count_mismatch',
      'The STL file is damaged: its triangle count does not agree with its size. Please re-export it.',
      { declared: count, bytes: bytes.length },
    );
  }
  if (bytes.length < expected) {
    throw new ModelError('truncated_stl', 'The STL file is truncated (the upload may have been interrupted).', {
      declared: count,
      bytes: bytes.length,
    });
  }
  if (count === 0) throw new ModelError('no_triangles', 'The STL file contains no triangles.');
  if (count > limits.maxTriangles) {
    throw new ModelError(
      'too_many_triangles',
      `The model has ${count} triangles; the limit is ${limits.maxTriangles}. Please decimate it.`,
      { triangles: count, limit: limits.maxTriangles },
    );
  }
  // Read and weld exactly in one pass: every corner goes straight into the vertex table, so the triangle soup
  // (36 bytes per triangle) is never materialised.
  const table = new VertexTable(count / 2 + 1);
  const indices = new Uint32Array(count * 3);
  const max = limits.maxCoordinateMm;
  const f32 = new Float32Array(1);
  const u32 = new Uint32Array(f32.buffer);
  let o = STL_HEADER_BYTES + 12;
  let k = 0;
  for (let t = 0; t < count; t++) {
    for (let j = 0; j < 3; j++) {
      const p = o + j * 12;
      let a = view.getUint32(p, true);
      let b = view.getUint32(p + 4, true);
      let c = view.getUint32(p + 8, true);
      // Exponent bits all set = NaN or ±Inf; the range check catches the rest.
      if ((a & 0x7f800000) === 0x7f800000 || (b & 0x7f800000) === 0x7f800000 || (c & 0x7f800000) === 0x7f800000) {
        checkCoordinate(Number.NaN, limits, t);
      }
      u32[0] = a;
      const x = f32[0] ?? 0;
      u32[0] = b;
      const y = f32[0] ?? 0;
      u32[0] = c;
      const z = f32[0] ?? 0;
      if (!(x <= max && x >= -max && y <= max && y >= -max && z <= max && z >= -max)) {
        checkCoordinate(Math.abs(x) > max ? x : Math.abs(y) > max ? y : z, limits, t);
      }
      if (a === 0x80000000) a = 0;
      if (b === 0x80000000) b = 0;
      if (c === 0x80000000) c = 0;
      indices[k++] = table.add(a, b, c);
    }
    o += STL_RECORD_BYTES;
    if ((t & 0xffff) === 0) deadline.check();
  }
  const positions = table.positions();
  return { format: 'stl-binary', positions, indices, sourceUnit: 'millimeter', notes: [], exactWelded: true };
};

/** ASCII STL: reads every `vertex x y z`; the number of vertices must be a multiple of three. */
export const parseAsciiStl = (bytes: Uint8Array, limits: Limits, deadline: Deadline): ParsedModel => {
  const end = bytes.length;
  // Upper bound of vertices: every "vertex" keyword takes at least 12 bytes.
  let cap = 3 * 1024;
  let positions = new Float32Array(cap);
  let n = 0;
  let facets = 0;
  let p = 0;
  let line = 1;
  while (p < end) {
    const c = bytes[p] ?? 0;
    if (c === 10) {
      line++;
      p++;
      continue;
    }
    if (isSpace(c)) {
      p++;
      continue;
    }
    if ((c | 32) === 118 && matchWord(bytes, p, 'vertex')) {
      p += 6;
      if (n + 3 > cap) {
        cap *= 2;
        if (cap / 9 > limits.maxTriangles * 1.01 + 9) {
          throw new ModelError('too_many_triangles', `The model has more than ${limits.maxTriangles} triangles.`, {
            limit: limits.maxTriangles,
          });
        }
        const next = new Float32Array(cap);
        next.set(positions);
        positions = next;
      }
      for (let j = 0; j < 3; j++) {
        if (!scanNumber(bytes, p, end)) {
          throw new ModelError('invalid_stl', `The ASCII STL file is malformed near line ${line}.`, { line });
        }
        const v = scan.value;
        if (!(v <= limits.maxCoordinateMm && v >= -limits.maxCoordinateMm)) checkCoordinate(v, limits, facets);
        positions[n++] = v;
        p = scan.end;
      }
      continue;
    }
    if ((c | 32) === 102 && matchWord(bytes, p, 'facet')) {
      facets++;
      if ((facets & 0x3fff) === 0) deadline.check();
    }
    // Skip the rest of the word.
    while (p < end && !isSpace(bytes[p] ?? 0) && bytes[p] !== 10) p++;
  }
  if (n === 0) throw new ModelError('no_triangles', 'The STL file contains no triangles.');
  if (n % 9 !== 0) {
    throw new ModelError('invalid_stl', 'The ASCII STL file is malformed: a facet does not have three vertices.');
  }
  const count = n / 9;
  if (count > limits.maxTriangles) {
    throw new ModelError(
      'too_many_triangles',
      `The model has ${count} triangles; the limit is ${limits.maxTriangles}.`,
      {
        triangles: count,
        limit: limits.maxTriangles,
      },
    );
  }
  const indices = new Uint32Array(count * 3);
  for (let i = 0; i < indices.length; i++) indices[i] = i;
  return { format: 'stl-ascii', positions: positions.slice(0, n), indices, sourceUnit: 'millimeter', notes: [] };
};
