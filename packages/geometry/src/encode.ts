/**
 * Writers for tests, the benchmark and fixtures: binary/ASCII STL, OBJ, 3MF (bytes only, no I/O). O(T).
 */
import { strToU8, zipSync } from 'fflate';
import type { IndexedMesh } from './mesh.ts';

export const toBinaryStl = (m: IndexedMesh): Uint8Array => {
  const T = m.indices.length / 3;
  const out = new Uint8Array(84 + T * 50);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode('facet test model'), 0);
  view.setUint32(80, T, true);
  const p = m.positions;
  for (let t = 0; t < T; t++) {
    const o = 84 + t * 50;
    for (let j = 0; j < 3; j++) {
      const v = (m.indices[t * 3 + j] ?? 0) * 3;
      view.setFloat32(o + 12 + j * 12, p[v] ?? 0, true);
      view.setFloat32(o + 16 + j * 12, p[v + 1] ?? 0, true);
      view.setFloat32(o + 20 + j * 12, p[v + 2] ?? 0, true);
    }
  }
  return out;
};

export const toAsciiStl = (m: IndexedMesh): Uint8Array => {
  const parts: string[] = ['solid test'];
  const p = m.positions;
  for (let t = 0; t < m.indices.length; t += 3) {
    parts.push(' facet normal 0 0 0', '  outer loop');
    for (let j = 0; j < 3; j++) {
      const v = (m.indices[t + j] ?? 0) * 3;
      parts.push(`   vertex ${p[v]} ${p[v + 1]} ${p[v + 2]}`);
    }
    parts.push('  endloop', ' endfacet');
  }
  parts.push('endsolid test', '');
  return new TextEncoder().encode(parts.join('\n'));
};

export const toObj = (m: IndexedMesh, negative = false): Uint8Array => {
  const parts: string[] = ['# facet test model', 'o test'];
  const p = m.positions;
  const V = p.length / 3;
  for (let v = 0; v < V; v++) parts.push(`v ${p[v * 3]} ${p[v * 3 + 1]} ${p[v * 3 + 2]}`);
  for (let t = 0; t < m.indices.length; t += 3) {
    const ref = (i: number): string => {
      const v = m.indices[t + i] ?? 0;
      return negative ? String(v - V) : String(v + 1);
    };
    parts.push(`f ${ref(0)} ${ref(1)} ${ref(2)}`);
  }
  parts.push('');
  return new TextEncoder().encode(parts.join('\n'));
};

export const modelXml = (m: IndexedMesh, unit = 'millimeter', transform?: string): string => {
  const p = m.positions;
  const vs: string[] = [];
  for (let v = 0; v < p.length / 3; v++) vs.push(`<vertex x="${p[v * 3]}" y="${p[v * 3 + 1]}" z="${p[v * 3 + 2]}"/>`);
  const ts: string[] = [];
  for (let t = 0; t < m.indices.length; t += 3) {
    ts.push(`<triangle v1="${m.indices[t]}" v2="${m.indices[t + 1]}" v3="${m.indices[t + 2]}"/>`);
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<model unit="${unit}" xmlns="http://schemas.microsoft.com/3dmanufacturing/core/2015/02">`,
    '<resources><object id="1" type="model"><mesh>',
    `<vertices>${vs.join('')}</vertices>`,
    `<triangles>${ts.join('')}</triangles>`,
    '</mesh></object></resources>',
    `<build><item objectid="1"${transform ? ` transform="${transform}"` : ''}/></build>`,
    '</model>',
  ].join('\n');
};

export const RELS_XML =
  '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Target="/3D/3dmodel.model" Id="rel0" Type="http://schemas.microsoft.com/3dmanufacturing/2013/01/3dmodel"/></Relationships>';

export const to3mf = (m: IndexedMesh, unit = 'millimeter', transform?: string): Uint8Array =>
  zipSync({
    '[Content_Types].xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="model" ContentType="application/vnd.ms-package.3dmanufacturing-3dmodel+xml"/></Types>',
    ),
    '_rels/.rels': strToU8(RELS_XML),
    '3D/3dmodel.model': strToU8(modelXml(m, unit, transform)),
  });
