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

/** Deterministic noise (xorshift32): what a corrupted or mislabelled upload looks like. */
const noise = (length: number, seed = 2463534242): Uint8Array => {
  let x = seed >>> 0 || 1;
  return Uint8Array.from({ length }, () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) & 0xff;
  });
};

const errorOf = (bytes: Uint8Array): ModelError => {
  try {
    parseModel(bytes);
  } catch (e) {
    if (e instanceof ModelError) return e;
    throw e;
  }
  throw new Error('parsed without an error');
};

describe('parseModel: an unreadable file is described, with what we accept', () => {
  const stl = toBinaryStl(box(1, 1, 1));
  const accepted = 'We accept STL (binary or ASCII), OBJ and 3MF files.';

  it.each([
    [
      'random bytes named model.obj',
      noise(5084),
      /binary data that is not a binary STL \(its triangle count says [\d,]+ triangles = [\d,]+ bytes, the file has 5,084 bytes\)/,
    ],
    ['a few random bytes', noise(50), /binary data of 50 bytes, too short for a binary STL/],
    [
      'plain text',
      strToU8('Ring, size 54, yellow gold\nPlease call me.\n'),
      /text that is neither an ASCII STL \('solid …' with 'facet' lines\) nor an OBJ \('v …' and 'f …' lines\)/,
    ],
    [
      'a PNG header',
      Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...noise(300)),
      /looks like a PNG image\./,
    ],
    ['a PDF', strToU8('%PDF-1.7\n%\xe2\xe3\n1 0 obj'), /looks like a PDF document\./],
    [
      'a ZIP without a model',
      zipSync({ 'notes.txt': strToU8('hello') }),
      /a ZIP archive without a 3D model \(a 3MF file keeps its model in 3D\/3dmodel\.model\)/,
    ],
    ['a ZIP of STL files', zipSync({ 'ring.stl': stl }), /a ZIP archive holding model files rather than a 3MF model/],
    ['a file of zeros', new Uint8Array(4096), /nothing but zeros/],
  ])('%s: not_a_model, saying what it looks like', (_name, bytes, looksLike) => {
    // Act
    const error = errorOf(bytes);
    // Assess
    expect(error.code).toBe('not_a_model');
    expect(error.message).toMatch(/^This file is not a 3D model we can read: it looks like /);
    expect(error.message).toMatch(looksLike);
    expect(error.message).toContain(accepted);
    expect(error.message).not.toMatch(/truncated|undefined|NaN/);
  });

  it('names a 3D format we do not read and asks for an export', () => {
    // Act
    const error = errorOf(strToU8('3D Geometry File Format       \0\0\0\0'));
    // Assess
    expect(error.code).toBe('not_a_model');
    expect(error.message).toMatch(/a 3D model in a format we do not read: it looks like a Rhino 3DM model/);
    expect(error.detail).toEqual({ looksLike: 'other_3d_format' });
  });

  it('still calls a real STL cut short truncated, with its figures', () => {
    // Prepare: the upload stopped 20 bytes early.
    const cut = stl.subarray(0, stl.length - 20);
    // Act
    const error = errorOf(cut);
    // Assess
    expect(error.code).toBe('truncated_stl');
    expect(error.message).toBe(
      'The STL file is truncated: its header declares 12 triangles (684 bytes), but the file has 664 bytes. The upload may have been interrupted; please upload it again.',
    );
  });

  it('says what we accept when the file is empty', () => {
    expect(errorOf(new Uint8Array(0)).message).toBe(`The file is empty (0 bytes). ${accepted}`);
  });
});
