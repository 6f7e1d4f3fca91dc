/**
 * Wavefront OBJ reader: `v x y z [w]` and `f a b c …` with `a`, `a/t`, `a//n`, `a/t/n` references, negative
 * (relative) indices, polygons fan-triangulated. Everything else (vn, vt, g, o, usemtl, s, mtllib, l, p) is ignored.
 * OBJ carries no unit: millimetres are assumed. O(bytes).
 */
import { type Deadline, type Limits, ModelError } from './errors.ts';
import type { ParsedModel } from './mesh.ts';
import { isSpace, scan, scanNumber } from './text.ts';

class Growable {
  data: Float32Array | Uint32Array;
  length = 0;
  constructor(readonly kind: 'f32' | 'u32') {
    this.data = kind === 'f32' ? new Float32Array(4096) : new Uint32Array(4096);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = this.kind === 'f32' ? new Float32Array(this.length * 2) : new Uint32Array(this.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
}

const badIndex = (line: number): ModelError =>
  new ModelError('index_out_of_range', `The OBJ file refers to a vertex that does not exist (line ${line}).`, { line });

export const parseObj = (bytes: Uint8Array, limits: Limits, deadline: Deadline): ParsedModel => {
  const end = bytes.length;
  const pos = new Growable('f32');
  const idx = new Growable('u32');
  let vertices = 0;
  let line = 1;
  let polygons = 0;
  let maxIndex = -1;
  let p = 0;
  const face: number[] = [];
  while (p < end) {
    // At the start of a line.
    while (p < end && isSpace(bytes[p] ?? 0)) p++;
    const c = bytes[p] ?? 0;
    const next = bytes[p + 1] ?? 10;
    if (c === 118 && isSpace(next)) {
      // v x y z
      p += 1;
      for (let j = 0; j < 3; j++) {
        if (!scanNumber(bytes, p, end)) {
          throw new ModelError('invalid_obj', `The OBJ file has a malformed vertex on line ${line}.`, { line });
        }
        const v = scan.value;
        if (!Number.isFinite(v)) {
          throw new ModelError(
            'non_finite_coordinate',
            `The OBJ file contains an invalid coordinate (NaN or infinity) on line ${line}.`,
            { line },
          );
        }
        if (v > limits.maxCoordinateMm || v < -limits.maxCoordinateMm) {
          throw new ModelError(
            'coordinate_out_of_range',
            `The model extends beyond ${limits.maxCoordinateMm} mm (line ${line}). Please export it in millimetres.`,
            { line },
          );
        }
        pos.push(v);
        p = scan.end;
      }
      vertices++;
    } else if (c === 102 && isSpace(next)) {
      // f a/b/c …
      p += 1;
      face.length = 0;
      for (;;) {
        while (p < end && isSpace(bytes[p] ?? 0)) p++;
        if (p >= end || bytes[p] === 10 || bytes[p] === 35) break;
        let neg = false;
        if (bytes[p] === 45) {
          neg = true;
          p++;
        } else if (bytes[p] === 43) p++;
        let v = 0;
        let digits = 0;
        while (p < end) {
          const d = bytes[p] ?? 0;
          if (d < 48 || d > 57) break;
          v = v * 10 + (d - 48);
          digits++;
          p++;
        }
        if (digits === 0 || digits > 10) {
          throw new ModelError('invalid_obj', `The OBJ file has a malformed face on line ${line}.`, { line });
        }
        // Skip /t/n parts.
        while (p < end && !isSpace(bytes[p] ?? 0) && bytes[p] !== 10) p++;
        let resolved: number;
        if (neg) {
          resolved = vertices - v;
          if (v === 0 || resolved < 0) throw badIndex(line);
        } else {
          if (v === 0) throw badIndex(line);
          resolved = v - 1;
        }
        if (resolved > maxIndex) maxIndex = resolved;
        face.push(resolved);
      }
      if (face.length < 3) {
        throw new ModelError('invalid_obj', `The OBJ file has a face with fewer than three vertices on line ${line}.`, {
          line,
        });
      }
      if (face.length > 3) polygons++;
      const a = face[0] ?? 0;
      for (let j = 1; j + 1 < face.length; j++) {
        idx.push(a);
        idx.push(face[j] ?? 0);
        idx.push(face[j + 1] ?? 0);
      }
      if (idx.length / 3 > limits.maxTriangles) {
        throw new ModelError('too_many_triangles', `The model has more than ${limits.maxTriangles} triangles.`, {
          limit: limits.maxTriangles,
        });
      }
    }
    // Skip to the next line.
    while (p < end && bytes[p] !== 10) p++;
    p++;
    line++;
    if ((line & 0xffff) === 0) deadline.check();
  }
  if (idx.length === 0) {
    throw new ModelError('no_triangles', 'The OBJ file contains no faces.');
  }
  if (maxIndex >= vertices) throw badIndex(line);
  const notes: string[] = [];
  if (polygons > 0) notes.push(`${polygons} polygons were split into triangles.`);
  return {
    format: 'obj',
    positions: (pos.data as Float32Array).slice(0, pos.length),
    indices: (idx.data as Uint32Array).slice(0, idx.length),
    sourceUnit: 'millimeter',
    notes,
  };
};
