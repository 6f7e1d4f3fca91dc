import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { demoPriceBook } from '@facet/domain/pricing';
import { DockerfileParser } from 'dockerfile-ast';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calculatorDockerfile } from '../../lib/calculation/calculator-service.ts';
import { repoRoot } from '../../lib/paths.ts';

/**
 * No Docker here, so the image's build step runs as written in the Dockerfile (its esbuild RUN line, output
 * redirected to a temp dir) against this checkout, and the runtime stage's files are checked and exercised.
 */
const dockerfile = DockerfileParser.parse(readFileSync(join(repoRoot, calculatorDockerfile), 'utf8'));
let outdir: string;

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'calculator-image-'));
  const run = dockerfile
    .getInstructions()
    .find((i) => i.getKeyword() === 'RUN' && /esbuild/.test(i.getArgumentsContent() ?? ''));
  const command = (run?.getArgumentsContent() ?? '').replace(/\\\r?\n/g, ' ');
  expect(command).toContain('--outdir=dist');
  execFileSync('sh', ['-c', command.replace('--outdir=dist', `--outdir=${outdir}`)], { cwd: repoRoot, stdio: 'pipe' });
}, 60_000);
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/** A closed 10 mm cube as ASCII STL: 12 outward-facing triangles. */
function cubeStl(size = 10): Uint8Array {
  const v = (x: number, y: number, z: number) => [x * size, y * size, z * size].join(' ');
  const quads: [number, number, number][][] = [
    [
      [0, 0, 0],
      [0, 1, 0],
      [1, 1, 0],
      [1, 0, 0],
    ],
    [
      [0, 0, 1],
      [1, 0, 1],
      [1, 1, 1],
      [0, 1, 1],
    ],
    [
      [0, 0, 0],
      [1, 0, 0],
      [1, 0, 1],
      [0, 0, 1],
    ],
    [
      [0, 1, 0],
      [0, 1, 1],
      [1, 1, 1],
      [1, 1, 0],
    ],
    [
      [0, 0, 0],
      [0, 0, 1],
      [0, 1, 1],
      [0, 1, 0],
    ],
    [
      [1, 0, 0],
      [1, 1, 0],
      [1, 1, 1],
      [1, 0, 1],
    ],
  ];
  const facets = quads.flatMap(([a, b, c, d]) =>
    [
      [a, b, c],
      [a, c, d],
    ].map(
      (tri) =>
        `facet normal 0 0 0\n outer loop\n${tri.map((p) => `  vertex ${v(...(p as [number, number, number]))}`).join('\n')}\n endloop\nendfacet`,
    ),
  );
  return new TextEncoder().encode(`solid cube\n${facets.join('\n')}\nendsolid cube\n`);
}

describe('calculator image (build stage run without Docker)', () => {
  it('produces the files the runtime stage starts: main.mjs and the engine thread next to it', () => {
    const cmd =
      dockerfile
        .getInstructions()
        .find((i) => i.getKeyword() === 'CMD')
        ?.getArgumentsContent() ?? '';
    const script = JSON.parse(cmd).at(-1) as string;
    expect(existsSync(join(outdir, script))).toBe(true);
    expect(existsSync(join(outdir, 'calc-thread.mjs'))).toBe(true);
  });

  it('the bundled engine thread calculates a model on its own (no node_modules beside it), priced from the book it is given', async () => {
    // Prepare: the caller's price book, recognisable by its currency (the demo book is EUR).
    const priceBook = { ...demoPriceBook(new Date()), currency: 'CHF' };
    // Act
    const result = await new Promise<{ type: string; outcome?: { quote?: { currency: string } } }>(
      (resolve, reject) => {
        const worker = new Worker(join(outdir, 'calc-thread.mjs'), {
          workerData: { bytes: cubeStl(), items: [{ alloy: 'ag925', quantity: 1 }], priceBook, now: Date.now() },
        });
        worker.on('message', (m: { type: string }) => {
          if (m.type !== 'progress') resolve(m);
        });
        worker.on('error', reject);
      },
    );
    // Assess
    expect(result).toMatchObject({ type: 'result', outcome: { quote: { currency: 'CHF' } } });
  });
});
