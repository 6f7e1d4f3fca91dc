/**
 * STL readers. Binary: 80-byte header, uint32 count, 50 bytes per triangle (normal, 3 vertices, attribute).
 * ASCII: `facet normal … outer loop vertex x y z ×3 endloop endfacet`. Normals are ignored (recomputed from the
 * winding). Both produce an unwelded IndexedMesh (3 vertices per triangle, identity indices). O(bytes).
 */
import { type Deadline, type Limits, ModelError } from './errors.ts';
import type { ParsedModel } from './mesh.ts';
import { type ByteSource, readFully } from './source.ts';
import { isSpace, matchWord, scan, scanNumber } from './text.ts';
import { VertexTable } from './weld.ts';

export const STL_HEADER_BYTES = 84;
export const STL_RECORD_BYTES = 50;
/** Records per chunk when streaming (≈ 4 MB, reused: its pages are faulted in once). */
const CHUNK_RECORDS = 80_000;

/** True when the byte length agrees exactly (or within one record of padding) with the header's count. */
export const binaryStlSizeMatches = (bytes: Uint8Array): boolean => stlHeaderMatchesSize(bytes, bytes.length);

/** The same test from the first bytes (`header`) and the total `size` of a file. */
export const stlHeaderMatchesSize = (header: Uint8Array, size: number): boolean => {
  if (size < STL_HEADER_BYTES || header.length < STL_HEADER_BYTES) return false;
  const count = new DataView(header.buffer, header.byteOffset, header.byteLength).getUint32(80, true);
  const expected = STL_HEADER_BYTES + count * STL_RECORD_BYTES;
  return size >= expected && size - expected < STL_RECORD_BYTES;
};

/**
 * For a binary file whose size disagrees with its triangle count: true when it still reads like a damaged binary
 * STL (truncated, or a wrong count) rather than some other binary. The first records must hold finite vertex
 * coordinates of a plausible size (random bytes pass one record's nine floats in under 1 % of cases, eight in
 * practically none), and not all zero; with no whole record, the 80-byte header must be mostly text or padding, as
 * exporters write it.
 * Normals are not looked at: exporters write NaN ones for degenerate faces.
 */
export const looksLikeDamagedBinaryStl = (bytes: Uint8Array): boolean => {
  const records = Math.min(8, Math.floor((bytes.length - STL_HEADER_BYTES) / STL_RECORD_BYTES));
  if (records <= 0) {
    const header = bytes.subarray(0, 80);
    let texty = 0;
    for (const c of header) if (c === 0 || (c >= 32 && c < 127)) texty++;
    return header.length > 0 && texty >= header.length * 0.75;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let nonZero = false;
  for (let r = 0; r < records; r++) {
    for (let k = 0; k < 9; k++) {
      const v = view.getFloat32(STL_HEADER_BYTES + r * STL_RECORD_BYTES + 12 + k * 4, true);
      if (!(Math.abs(v) <= 1e6)) return false;
      nonZero ||= v !== 0;
    }
  }
  // Zeros throughout are an unwritten file, not triangles.
  return nonZero;
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

/**
 * Validates the header of a binary STL of `size` bytes against its declared triangle count (80-byte header, then
 * the count at byte 80) and the limits; returns the count.
 */
const binaryStlCount = (header: Uint8Array, size: number, limits: Limits): number => {
  if (size < STL_HEADER_BYTES) {
    throw new ModelError('truncated_stl', 'The STL file is truncated: it is shorter than its 84-byte header.');
  }
  const count = new DataView(header.buffer, header.byteOffset, header.byteLength).getUint32(80, true);
  const expected = STL_HEADER_BYTES + count * STL_RECORD_BYTES;
  if (count === 0xffffffff || size - expected >= STL_RECORD_BYTES) {
    throw new ModelError(
      'stl_count_mismatch',
      'The STL file is damaged: its triangle count does not agree with its size. Please re-export it.',
      { declared: count, bytes: size },
    );
  }
  if (size < expected) {
    throw new ModelError(
      'truncated_stl',
      `The STL file is truncated: its header declares ${count.toLocaleString('en-US')} triangles (${expected.toLocaleString('en-US')} bytes), but the file has ${size.toLocaleString('en-US')} bytes. The upload may have been interrupted; please upload it again.`,
      { declared: count, bytes: size },
    );
  }
  if (count === 0) throw new ModelError('no_triangles', 'The STL file contains no triangles.');
  if (count > limits.maxTriangles) {
    throw new ModelError(
      'too_many_triangles',
      `The model has ${count} triangles; the limit is ${limits.maxTriangles}. Please decimate it.`,
      { triangles: count, limit: limits.maxTriangles },
    );
  }
  return count;
};

/**
 * Reads and welds exactly in one pass: every corner goes straight into the vertex table, so the triangle soup
 * (36 bytes per triangle) is never materialised. Records arrive in runs (the whole file, or one chunk at a time).
 */
class BinaryStlWelder {
  private readonly table: VertexTable;
  private readonly indices: Uint32Array;
  private k = 0;
  private t = 0;

  constructor(
    count: number,
    private readonly limits: Limits,
    private readonly deadline: Deadline,
  ) {
    this.table = new VertexTable(count / 2 + 1);
    this.indices = new Uint32Array(count * 3);
  }

  /** Welds `n` records starting at byte `offset` of `view`. */
  records(view: DataView, offset: number, n: number): void {
    const limits = this.limits;
    const table = this.table;
    const indices = this.indices;
    const max = limits.maxCoordinateMm;
    const f32 = new Float32Array(1);
    const u32 = new Uint32Array(f32.buffer);
    let o = offset + 12;
    let k = this.k;
    let t = this.t;
    for (const end = t + n; t < end; t++) {
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
      if ((t & 0xffff) === 0) this.deadline.check();
    }
    this.k = k;
    this.t = t;
  }

  result(): ParsedModel {
    const positions = this.table.positions();
    return {
      format: 'stl-binary',
      positions,
      indices: this.indices,
      sourceUnit: 'millimeter',
      notes: [],
      exactWelded: true,
    };
  }
}

export const parseBinaryStl = (bytes: Uint8Array, limits: Limits, deadline: Deadline): ParsedModel => {
  const count = binaryStlCount(bytes, bytes.length, limits);
  const welder = new BinaryStlWelder(count, limits, deadline);
  welder.records(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), STL_HEADER_BYTES, count);
  return welder.result();
};

/**
 * The same reader over a source, one reused chunk at a time: the file never sits in memory as a whole. Same
 * result and errors as `parseBinaryStl` on the whole bytes.
 */
export const parseBinaryStlSource = (source: ByteSource, limits: Limits, deadline: Deadline): ParsedModel => {
  const header = new Uint8Array(STL_HEADER_BYTES);
  const count = binaryStlCount(header.subarray(0, readFully(source, header, 0)), source.size, limits);
  const welder = new BinaryStlWelder(count, limits, deadline);
  const chunk = new Uint8Array(Math.min(count, CHUNK_RECORDS) * STL_RECORD_BYTES);
  const view = new DataView(chunk.buffer);
  let position = STL_HEADER_BYTES;
  for (let done = 0; done < count; ) {
    const n = Math.min(CHUNK_RECORDS, count - done);
    const got = readFully(source, chunk.subarray(0, n * STL_RECORD_BYTES), position);
    if (got < n * STL_RECORD_BYTES) {
      // The file shrank while it was read.
      throw new ModelError('truncated_stl', 'The STL file is truncated (the upload may have been interrupted).', {
        declared: count,
        bytes: position + got,
      });
    }
    welder.records(view, 0, n);
    done += n;
    position += got;
  }
  return welder.result();
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
