/**
 * 3MF reader: finds the start part through `_rels/.rels`, reads `<object>` meshes and `<components>` (also across
 * model parts via `p:path`), instantiates `<build><item>`s with their transforms and converts the declared unit to
 * millimetres. DOCTYPE/ENTITY declarations are refused (no entity expansion, no external fetches). O(inflated bytes
 * + emitted triangles); instancing is capped by `maxTriangles` before anything is allocated.
 */
import { type Deadline, type Limits, ModelError } from './errors.ts';
import type { ParsedModel } from './mesh.ts';
import { describeZip, notAModel } from './not-a-model.ts';
import { extractZipEntry, type InflateBudget, readZipDirectory, type ZipEntry } from './zip.ts';

const UNIT_TO_MM: Readonly<Record<string, number>> = {
  micron: 0.001,
  millimeter: 1,
  centimeter: 10,
  inch: 25.4,
  foot: 304.8,
  meter: 1000,
};

/** Row-major 3MF matrix: x' = x·m0 + y·m3 + z·m6 + m9, and so on. */
type Matrix = Float64Array;
const IDENTITY = (): Matrix => Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0);

const invalid = (why: string): ModelError => new ModelError('invalid_3mf', `The 3MF file is not valid: ${why}.`);

const parseMatrix = (s: string | undefined): Matrix => {
  if (s === undefined || s.trim() === '') return IDENTITY();
  const parts = s.trim().split(/\s+/).map(Number);
  if (parts.length !== 12 || parts.some((v) => !Number.isFinite(v))) throw invalid('a transform is malformed');
  return Float64Array.from(parts);
};

/** a then b (apply a first). */
const compose = (a: Matrix, b: Matrix): Matrix => {
  const r = new Float64Array(12);
  for (let row = 0; row < 4; row++) {
    for (let col = 0; col < 3; col++) {
      let v = row === 3 ? (b[9 + col] ?? 0) : 0;
      for (let k = 0; k < 3; k++) v += (a[row * 3 + k] ?? 0) * (b[k * 3 + col] ?? 0);
      r[row * 3 + col] = v;
    }
  }
  return r;
};

const determinant = (m: Matrix): number => {
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, g = 0, h = 0, i = 0] = m;
  return a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
};

interface MeshObject {
  kind: 'mesh';
  positions: Float64Array;
  indices: Uint32Array;
}
interface ComponentsObject {
  kind: 'components';
  parts: Array<{ key: string; transform: Matrix }>;
}
type ModelObject = MeshObject | ComponentsObject;

const ATTR = /([A-Za-z_][\w:.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
const attributes = (tag: string): Record<string, string> => {
  const out: Record<string, string> = {};
  ATTR.lastIndex = 0;
  for (let m = ATTR.exec(tag); m !== null; m = ATTR.exec(tag)) {
    out[m[1] ?? ''] = m[2] ?? m[3] ?? '';
  }
  return out;
};

const localName = (qname: string): string => {
  const i = qname.indexOf(':');
  return i < 0 ? qname : qname.slice(i + 1);
};

/** Fast attribute lookup for the hot tags (vertex, triangle): finds ` name="…"` and parses a number. */
const numAttr = (tag: string, name: string): number => {
  const i = tag.indexOf(` ${name}=`);
  if (i < 0) {
    // Attributes separated by tabs/newlines, or spaces around '=': the general parser.
    const v = attributes(tag)[name];
    return v === undefined ? Number.NaN : Number(v);
  }
  const q = tag.charCodeAt(i + name.length + 2);
  const start = i + name.length + 3;
  const end = tag.indexOf(q === 39 ? "'" : '"', start);
  if (end < 0) return Number.NaN;
  return Number(tag.slice(start, end));
};

interface PartResult {
  unitScale: number;
  unit: string;
  objects: Map<string, ModelObject>;
  build: Array<{ key: string; transform: Matrix }>;
  referencedPaths: Set<string>;
}

const normalizePath = (p: string): string => (p.startsWith('/') ? p.slice(1) : p);

const parseModelXml = (xml: string, path: string, limits: Limits, deadline: Deadline): PartResult => {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) {
    throw new ModelError(
      'xml_doctype',
      'The 3MF file contains XML document-type or entity declarations, which are not allowed.',
    );
  }
  const objects = new Map<string, ModelObject>();
  const build: PartResult['build'] = [];
  const referencedPaths = new Set<string>();
  let unit = 'millimeter';
  let sawModel = false;
  let current: { id: string; type: string } | null = null;
  let verts: number[] = [];
  let tris: number[] = [];
  let parts: ComponentsObject['parts'] = [];
  let inBuild = false;
  let tags = 0;
  let p = 0;
  const key = (id: string, partPath: string | undefined): string => `${normalizePath(partPath ?? path)}#${id}`;
  for (;;) {
    const lt = xml.indexOf('<', p);
    if (lt < 0) break;
    if (xml.startsWith('<!--', lt)) {
      const end = xml.indexOf('-->', lt + 4);
      p = end < 0 ? xml.length : end + 3;
      continue;
    }
    if (xml.startsWith('<![CDATA[', lt)) {
      const end = xml.indexOf(']]>', lt);
      p = end < 0 ? xml.length : end + 3;
      continue;
    }
    const gt = xml.indexOf('>', lt);
    if (gt < 0) throw invalid('an XML tag is not closed');
    p = gt + 1;
    if ((++tags & 0xffff) === 0) deadline.check();
    const c1 = xml.charCodeAt(lt + 1);
    if (c1 === 63 || c1 === 33) continue; // <? … ?> and other declarations
    const closing = c1 === 47;
    let nameEnd = lt + (closing ? 2 : 1);
    while (nameEnd < gt) {
      const c = xml.charCodeAt(nameEnd);
      if (c === 32 || c === 9 || c === 10 || c === 13 || c === 47) break;
      nameEnd++;
    }
    const name = localName(xml.slice(lt + (closing ? 2 : 1), nameEnd));
    if (closing) {
      if (name === 'object' && current) {
        if (parts.length > 0) objects.set(key(current.id, undefined), { kind: 'components', parts });
        else if (current.type === 'model' || current.type === 'solidsupport' || current.type === '') {
          const positions = Float64Array.from(verts);
          const indices = Uint32Array.from(tris);
          const n = positions.length / 3;
          for (let i = 0; i < indices.length; i++) {
            if ((indices[i] ?? 0) >= n) {
              throw new ModelError('index_out_of_range', 'The 3MF file refers to a vertex that does not exist.', {
                object: current.id,
              });
            }
          }
          objects.set(key(current.id, undefined), { kind: 'mesh', positions, indices });
        }
        current = null;
      } else if (name === 'build') inBuild = false;
      continue;
    }
    const tag = xml.slice(nameEnd, gt);
    switch (name) {
      case 'vertex': {
        if (!current) break;
        const x = numAttr(tag, 'x');
        const y = numAttr(tag, 'y');
        const z = numAttr(tag, 'z');
        if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(z)) {
          throw new ModelError(
            'non_finite_coordinate',
            'The 3MF file contains an invalid or missing vertex coordinate (NaN or infinity).',
          );
        }
        verts.push(x, y, z);
        break;
      }
      case 'triangle': {
        if (!current) break;
        const a = numAttr(tag, 'v1');
        const b = numAttr(tag, 'v2');
        const c = numAttr(tag, 'v3');
        if (!Number.isInteger(a) || !Number.isInteger(b) || !Number.isInteger(c) || a < 0 || b < 0 || c < 0) {
          throw new ModelError('index_out_of_range', 'The 3MF file has a triangle with an invalid vertex index.');
        }
        tris.push(a, b, c);
        if (tris.length / 3 > limits.maxTriangles) {
          throw new ModelError('too_many_triangles', `The model has more than ${limits.maxTriangles} triangles.`);
        }
        break;
      }
      case 'model': {
        sawModel = true;
        unit = attributes(tag).unit ?? 'millimeter';
        break;
      }
      case 'object': {
        const a = attributes(tag);
        current = { id: a.id ?? '', type: a.type ?? 'model' };
        verts = [];
        tris = [];
        parts = [];
        if (tag.trimEnd().endsWith('/')) current = null;
        break;
      }
      case 'component': {
        if (!current) break;
        const a = attributes(tag);
        const partPath = a['p:path'] ?? a.path;
        if (partPath !== undefined) referencedPaths.add(normalizePath(partPath));
        parts.push({ key: key(a.objectid ?? '', partPath), transform: parseMatrix(a.transform) });
        break;
      }
      case 'build':
        inBuild = !tag.trimEnd().endsWith('/');
        break;
      case 'item': {
        if (!inBuild) break;
        const a = attributes(tag);
        const partPath = a['p:path'] ?? a.path;
        if (partPath !== undefined) referencedPaths.add(normalizePath(partPath));
        build.push({ key: key(a.objectid ?? '', partPath), transform: parseMatrix(a.transform) });
        break;
      }
      default:
        break;
    }
  }
  if (!sawModel) throw invalid('the model part has no <model> element');
  const unitScale = UNIT_TO_MM[unit];
  if (unitScale === undefined) throw invalid(`unknown unit "${unit.slice(0, 20)}"`);
  return { unitScale, unit, objects, build, referencedPaths };
};

const findStartPart = (entries: ZipEntry[], rels: string | undefined): string => {
  if (rels !== undefined) {
    const m = /<Relationship\b[^>]*Type\s*=\s*"[^"]*\/3dmodel"[^>]*>/i.exec(rels);
    const target = m ? /Target\s*=\s*"([^"]+)"/.exec(m[0]) : null;
    if (target?.[1]) return normalizePath(target[1]);
  }
  const fallback = entries.find((e) => e.name.toLowerCase().endsWith('.model'));
  // No model part named or present: not a damaged 3MF, some other archive.
  if (!fallback) throw notAModel(describeZip(entries));
  return fallback.name;
};

export const parse3mf = (bytes: Uint8Array, limits: Limits, deadline: Deadline): ParsedModel => {
  const entries = readZipDirectory(bytes);
  const byName = new Map(entries.map((e) => [e.name, e]));
  const budget: InflateBudget = { remaining: limits.maxInflatedBytes };
  const decoder = new TextDecoder('utf-8');
  const read = (name: string): string | undefined => {
    const e = byName.get(name);
    return e ? decoder.decode(extractZipEntry(bytes, e, limits, budget, deadline)) : undefined;
  };
  const relsXml = read('_rels/.rels');
  if (relsXml !== undefined && /<!DOCTYPE|<!ENTITY/i.test(relsXml)) {
    throw new ModelError('xml_doctype', 'The 3MF file contains XML document-type or entity declarations.');
  }
  const startPath = findStartPart(entries, relsXml);
  const startXml = read(startPath);
  if (startXml === undefined) throw invalid('the model part named in the package is missing');
  const start = parseModelXml(startXml, startPath, limits, deadline);
  const objects = new Map(start.objects);
  const scales = new Map<string, number>([[startPath, start.unitScale]]);
  // Parts referenced through the production extension (one level of indirection is what the spec allows).
  for (const path of start.referencedPaths) {
    if (path === startPath || scales.has(path)) continue;
    const xml = read(path);
    if (xml === undefined) throw invalid(`the referenced part ${path.slice(0, 80)} is missing`);
    const part = parseModelXml(xml, path, limits, deadline);
    scales.set(path, part.unitScale);
    for (const [k, v] of part.objects) objects.set(k, v);
  }

  // Count first (cycle- and depth-checked), then emit.
  const countCache = new Map<string, number>();
  const countTriangles = (key: string, depth: number): number => {
    if (depth > 16) throw invalid('components are nested too deeply or form a cycle');
    const cached = countCache.get(key);
    if (cached !== undefined) return cached;
    const o = objects.get(key);
    if (!o) throw invalid('a component or build item refers to a missing object');
    let n = 0;
    if (o.kind === 'mesh') n = o.indices.length / 3;
    else for (const part of o.parts) n += countTriangles(part.key, depth + 1);
    if (n > limits.maxTriangles) {
      throw new ModelError('too_many_triangles', `The model has more than ${limits.maxTriangles} triangles.`);
    }
    countCache.set(key, n);
    return n;
  };
  let total = 0;
  for (const item of start.build) total += countTriangles(item.key, 0);
  if (total > limits.maxTriangles) {
    throw new ModelError(
      'too_many_triangles',
      `The model has ${total} triangles; the limit is ${limits.maxTriangles}.`,
    );
  }
  if (total === 0) throw new ModelError('no_triangles', 'The 3MF file contains no triangles to print.');

  const positions = new Float32Array(total * 9);
  const indices = new Uint32Array(total * 3);
  let t = 0;
  const emit = (key: string, m: Matrix): void => {
    const o = objects.get(key);
    if (!o) return;
    if (o.kind === 'components') {
      for (const part of o.parts) emit(part.key, compose(part.transform, m));
      return;
    }
    const scale = scales.get(key.slice(0, key.lastIndexOf('#'))) ?? start.unitScale;
    const flip = determinant(m) < 0;
    const src = o.positions;
    for (let i = 0; i < o.indices.length; i += 3) {
      for (let j = 0; j < 3; j++) {
        const v = (o.indices[i + (flip && j > 0 ? 3 - j : j)] ?? 0) * 3;
        const x = src[v] ?? 0;
        const y = src[v + 1] ?? 0;
        const z = src[v + 2] ?? 0;
        const o9 = t * 9 + j * 3;
        const X = (x * (m[0] ?? 0) + y * (m[3] ?? 0) + z * (m[6] ?? 0) + (m[9] ?? 0)) * scale;
        const Y = (x * (m[1] ?? 0) + y * (m[4] ?? 0) + z * (m[7] ?? 0) + (m[10] ?? 0)) * scale;
        const Z = (x * (m[2] ?? 0) + y * (m[5] ?? 0) + z * (m[8] ?? 0) + (m[11] ?? 0)) * scale;
        if (
          !(Math.abs(X) <= limits.maxCoordinateMm && Math.abs(Y) <= limits.maxCoordinateMm) ||
          !(Math.abs(Z) <= limits.maxCoordinateMm)
        ) {
          throw new ModelError(
            'coordinate_out_of_range',
            `The model extends beyond ${limits.maxCoordinateMm} mm. Please check its unit.`,
          );
        }
        positions[o9] = X;
        positions[o9 + 1] = Y;
        positions[o9 + 2] = Z;
        indices[t * 3 + j] = t * 3 + j;
      }
      t++;
    }
  };
  for (const item of start.build) emit(item.key, item.transform);
  const notes: string[] = [];
  if (start.unit !== 'millimeter') notes.push(`Converted from ${start.unit} to millimetres.`);
  if (start.build.length > 1) notes.push(`${start.build.length} build items were combined.`);
  return { format: '3mf', positions, indices, sourceUnit: start.unit, notes };
};
