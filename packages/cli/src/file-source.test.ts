import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFully } from '@facet/geometry/source';
import { afterAll, describe, expect, it } from 'vitest';
import { openFileSource } from './file-source.ts';

describe('openFileSource', () => {
  const dir = mkdtempSync(join(tmpdir(), 'facet-source-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads any range of the file', () => {
    // Prepare
    const path = join(dir, 'bytes.bin');
    writeFileSync(
      path,
      Uint8Array.from({ length: 1000 }, (_, i) => i % 251),
    );
    const source = openFileSource(path);
    // Act
    const middle = new Uint8Array(10);
    const got = readFully(source, middle, 500);
    const tail = new Uint8Array(10);
    const gotTail = readFully(source, tail, 995);
    source.close();
    // Assess
    expect(source.size).toBe(1000);
    expect(got).toBe(10);
    expect(Array.from(middle)).toEqual(Array.from({ length: 10 }, (_, i) => (500 + i) % 251));
    expect(gotTail).toBe(5);
  });

  it('refuses a directory and reports a missing file', () => {
    expect(() => openFileSource(dir)).toThrow('not a regular file');
    expect(() => openFileSource(join(dir, 'missing.stl'))).toThrow(/ENOENT/);
  });
});
