import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { modelXml, RELS_XML, to3mf, toAsciiStl, toBinaryStl, toObj } from './encode.ts';
import { ModelError } from './errors.ts';
import { parseModel } from './parse.ts';
import { box } from './shapes.ts';

const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    if (e instanceof ModelError) return e.code;
    throw e;
  }
  return 'no error';
};

describe('parseModel: formats detected by content', () => {
  const cube = box(10, 10, 10);

  it.each([
    ['binary STL', toBinaryStl(cube), 'stl-binary'],
    ['ASCII STL', toAsciiStl(cube), 'stl-ascii'],
    ['OBJ', toObj(cube), 'obj'],
    ['OBJ with negative indices', toObj(cube, true), 'obj'],
    ['3MF', to3mf(cube), '3mf'],
  ] as const)('reads %s', (_name, bytes, format) => {
    // Act
    const model = parseModel(bytes);
    // Assess
    expect(model.format).toBe(format);
    expect(model.indices.length).toBe(36);
  });

  it('reads a binary STL whose header starts with "solid"', () => {
    // Prepare
    const bytes = toBinaryStl(cube);
    bytes.set(new TextEncoder().encode('solid but binary'), 0);
    // Act / Assess
    expect(parseModel(bytes).format).toBe('stl-binary');
  });

  it('triangulates OBJ polygons', () => {
    // Prepare
    const obj = 'v 0 0 0\nv 1 0 0\nv 1 1 0\nv 0 1 0\nf 1/1/1 2/2/2 3/3/3 4/4/4\n';
    // Act
    const model = parseModel(strToU8(obj));
    // Assess
    expect(Array.from(model.indices)).toEqual([0, 1, 2, 0, 2, 3]);
    expect(model.notes.join()).toMatch(/polygons/);
  });

  it('honours 3MF units and build transforms', () => {
    // Prepare: a 1 cm cube, translated by 5 cm in x.
    const bytes = to3mf(box(1, 1, 1), 'centimeter', '1 0 0 0 1 0 0 0 1 5 0 0');
    // Act
    const model = parseModel(bytes);
    // Assess
    expect(model.sourceUnit).toBe('centimeter');
    expect(Math.max(...model.positions.filter((_, i) => i % 3 === 0))).toBeCloseTo(60);
  });

  it('instantiates 3MF components', () => {
    // Prepare
    const xml = modelXml(box(1, 1, 1))
      .replace(
        '</resources>',
        '<object id="2"><components><component objectid="1"/><component objectid="1" transform="1 0 0 0 1 0 0 0 1 3 0 0"/></components></object></resources>',
      )
      .replace('<item objectid="1"', '<item objectid="2"');
    const bytes = zipSync({ '_rels/.rels': strToU8(RELS_XML), '3D/3dmodel.model': strToU8(xml) });
    // Act / Assess
    expect(parseModel(bytes).indices.length).toBe(72);
  });
});

describe('parseModel: bad input gets a typed error', () => {
  const stl = toBinaryStl(box(1, 1, 1));
  const withCount = (n: number): Uint8Array => {
    const b = stl.slice();
    new DataView(b.buffer).setUint32(80, n, true);
    return b;
  };
  const nanStl = stl.slice();
  new DataView(nanStl.buffer).setFloat32(84 + 12, Number.NaN, true);
  const infStl = stl.slice();
  new DataView(infStl.buffer).setFloat32(84 + 20, Number.POSITIVE_INFINITY, true);
  const png = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Uint8Array(200));
  const bomb = zipSync({ '_rels/.rels': strToU8(RELS_XML), '3D/3dmodel.model': new Uint8Array(50 * 1024 * 1024) });
  const traversal = zipSync({ '../../etc/passwd': strToU8('x'), '3D/3dmodel.model': strToU8(modelXml(box(1, 1, 1))) });
  const doctype = zipSync({
    '_rels/.rels': strToU8(RELS_XML),
    '3D/3dmodel.model': strToU8(`<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]>${modelXml(box(1, 1, 1))}`),
  });
  // A zip whose central directory claims a tiny uncompressed size for a large entry.
  const fake = zipSync({ '_rels/.rels': strToU8(RELS_XML), '3D/3dmodel.model': new Uint8Array(8 * 1024 * 1024) });
  {
    const v = new DataView(fake.buffer);
    for (let o = fake.length - 22; o >= 0; o--) {
      if (v.getUint32(o, true) === 0x02014b50) v.setUint32(o + 24, 100, true);
    }
  }

  it.each([
    ['an empty file', new Uint8Array(0), 'empty_file'],
    ['a truncated binary STL', stl.subarray(0, stl.length - 20), 'truncated_stl'],
    ['a header shorter than 84 bytes', stl.subarray(0, 60), 'truncated_stl'],
    ['a count larger than the file', withCount(1000), 'truncated_stl'],
    ['a count smaller than the file', withCount(3), 'stl_count_mismatch'],
    ['a count of 0xFFFFFFFF', withCount(0xffffffff), 'stl_count_mismatch'],
    ['a NaN coordinate', nanStl, 'non_finite_coordinate'],
    ['an infinite coordinate', infStl, 'non_finite_coordinate'],
    ['HTML renamed .stl', strToU8('<!DOCTYPE html><html><body>Not found</body></html>'), 'not_a_model'],
    ['a PNG renamed .stl', png, 'not_a_model'],
    ['an OBJ with an out-of-range index', strToU8('v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 4\n'), 'index_out_of_range'],
    [
      'an OBJ with a negative index too far back',
      strToU8('v 0 0 0\nv 1 0 0\nv 0 1 0\nf -1 -2 -4\n'),
      'index_out_of_range',
    ],
    ['an OBJ with index 0', strToU8('v 0 0 0\nv 1 0 0\nv 0 1 0\nf 0 1 2\n'), 'index_out_of_range'],
    ['an OBJ with nan', strToU8('v nan 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n'), 'non_finite_coordinate'],
    [
      'an ASCII STL missing a vertex',
      strToU8('solid x\nfacet normal 0 0 1\nouter loop\nvertex 0 0 0\nvertex 1 0 0\nendloop\nendfacet\nendsolid'),
      'invalid_stl',
    ],
    ['a 3MF zip bomb', bomb, 'zip_bomb'],
    ['a 3MF with a lying size field', fake, 'zip_bomb'],
    ['a 3MF with path traversal', traversal, 'unsafe_zip_path'],
    ['a 3MF with DOCTYPE/ENTITY', doctype, 'xml_doctype'],
  ] as const)('rejects %s', (_name, bytes, code) => {
    // Act / Assess
    expect(codeOf(() => parseModel(bytes, { limits: { maxInflatedBytes: 16 * 1024 * 1024 } }))).toBe(code);
  });

  it('enforces the triangle cap', () => {
    // Act / Assess
    expect(codeOf(() => parseModel(stl, { limits: { maxTriangles: 5 } }))).toBe('too_many_triangles');
    expect(codeOf(() => parseModel(toObj(box(1, 1, 1)), { limits: { maxTriangles: 5 } }))).toBe('too_many_triangles');
    expect(codeOf(() => parseModel(to3mf(box(1, 1, 1)), { limits: { maxTriangles: 5 } }))).toBe('too_many_triangles');
  });

  it('enforces the byte cap', () => {
    expect(codeOf(() => parseModel(stl, { limits: { maxBytes: 100 } }))).toBe('file_too_large');
  });

  it('gives customers a readable message', () => {
    // Act
    let message = '';
    try {
      parseModel(stl.subarray(0, 100));
    } catch (e) {
      message = (e as Error).message;
    }
    // Assess
    expect(message).toMatch(/truncated/);
    expect(message).not.toMatch(/undefined|NaN/);
  });
});
