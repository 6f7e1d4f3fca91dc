import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calculationReportSchema } from '@facet/contracts/report';
import { box, toBinaryStl, torus } from '@facet/geometry';
import { describe, expect, it } from 'vitest';
import { type Io, run } from './main.ts';

const capture = (): Io & { stdout: string; stderr: string } => {
  const io = {
    stdout: '',
    stderr: '',
    out: (s: string) => {
      io.stdout += s;
    },
    err: (s: string) => {
      io.stderr += s;
    },
    now: () => new Date('2026-11-23T12:00:00Z'),
  };
  return io;
};

const dir = mkdtempSync(join(tmpdir(), 'facet-cli-'));
const ring = join(dir, 'ring.stl');
writeFileSync(ring, toBinaryStl(torus(9, 1.2, 128, 32)));

describe('facet analyze', () => {
  it('prints a readable table by default', async () => {
    // Prepare
    const io = capture();
    // Act
    const code = await run(['analyze', ring, '--alloy', 'au750'], io);
    // Assess
    expect(code).toBe(0);
    expect(io.stdout).toMatch(/Verdict: ACCEPTED/);
    expect(io.stdout).toMatch(/au750y \*/);
    expect(io.stdout).toMatch(/DEMO PRICES/);
    expect(io.stdout).toMatch(/Total/);
  });

  it('prints schema-valid JSON with --json and writes a thumbnail', async () => {
    // Prepare
    const io = capture();
    const png = join(dir, 'thumb.png');
    // Act
    const code = await run(['analyze', ring, '--json', '--alloy', 'ag925', '--thumbnail', png], io);
    // Assess
    expect(code).toBe(0);
    const report = calculationReportSchema.parse(JSON.parse(io.stdout));
    expect(report.quote.alloy).toBe('ag925');
    expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
  });

  it('exits 2 with a clear message on bad input', async () => {
    // Prepare
    const bad = join(dir, 'page.stl');
    writeFileSync(bad, '<html><body>404</body></html>');
    const io = capture();
    // Act
    const code = await run(['analyze', bad], io);
    // Assess
    expect(code).toBe(2);
    expect(io.stderr).toMatch(/not a 3D model.*\[not_a_model\]/);
  });

  it('exits 2 on usage errors and missing files', async () => {
    const a = capture();
    const b = capture();
    const c = capture();
    expect(await run(['analyze', ring, '--alloy', 'tin'], a)).toBe(2);
    expect(a.stderr).toMatch(/unknown alloy/);
    expect(await run(['analyze', join(dir, 'missing.stl')], b)).toBe(2);
    expect(b.stderr).toMatch(/ENOENT/);
    expect(await run(['frobnicate'], c)).toBe(2);
  });

  it('exits 1 for a model that cannot be manufactured', async () => {
    // Prepare: a 10 mm box with two sides missing (openings far too large to close automatically).
    const b = box(10, 10, 10);
    const open = join(dir, 'open.stl');
    writeFileSync(open, toBinaryStl({ positions: b.positions, indices: b.indices.slice(0, 24) }));
    const io = capture();
    // Act
    const code = await run(['analyze', open], io);
    // Assess
    expect(code).toBe(1);
    expect(io.stdout).toMatch(/REJECTED/);
  });
});
