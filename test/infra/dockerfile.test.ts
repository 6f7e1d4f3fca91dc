import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { calculatorDockerfile, calculatorDockerignore } from '../../lib/calculation/calculator-service.ts';
import { repoRoot } from '../../lib/paths.ts';
import { lintDockerfile } from './dockerfile-lint.ts';

const read = (path: string) => readFileSync(join(repoRoot, path), 'utf8');

describe('containers/calculator/Dockerfile', () => {
  it('passes the lint: pinned bases, multi-stage, non-root, exec-form CMD, STOPSIGNAL SIGTERM, no ADD of URLs', () => {
    expect(lintDockerfile(read(calculatorDockerfile))).toEqual([]);
  });

  it('runs Node 22 in both stages', () => {
    const bases = read(calculatorDockerfile)
      .split('\n')
      .filter((l) => l.startsWith('FROM '));
    expect(bases.length).toBeGreaterThanOrEqual(2);
    for (const base of bases) expect(base).toMatch(/^FROM node:22\.\d+\.\d+-bookworm-slim AS \w+$/);
  });

  it('bundles the worker entry with esbuild into one ESM file for node22', () => {
    const dockerfile = read(calculatorDockerfile);
    expect(dockerfile).toContain('esbuild containers/calculator/src/main.ts');
    expect(dockerfile).toMatch(/--bundle --platform=node --format=esm --target=node22/);
    expect(dockerfile).toMatch(/CMD \["node", "--enable-source-maps", "main\.mjs"\]/);
  });

  it('keeps the build context to what the build needs (allow-list ignore file)', () => {
    const patterns = read(calculatorDockerignore)
      .split('\n')
      .filter((l) => l && !l.startsWith('#'));
    expect(patterns[0]).toBe('*');
    expect(patterns).toEqual(
      expect.arrayContaining(['!package.json', '!package-lock.json', '!packages', '!containers/calculator']),
    );
    expect(patterns).toContain('**/node_modules');
  });
});

describe('lintDockerfile', () => {
  it.each([
    ['single stage', 'FROM node:22.1.0-slim AS app\nUSER node\nSTOPSIGNAL SIGTERM\nCMD ["node","x"]', /multi-stage/],
    [
      'latest tag',
      'FROM node:latest AS b\nFROM node:22.1.0 AS r\nUSER node\nSTOPSIGNAL SIGTERM\nCMD ["node"]',
      /latest/,
    ],
    ['unpinned', 'FROM node AS b\nFROM node:22.1.0 AS r\nUSER node\nSTOPSIGNAL SIGTERM\nCMD ["node"]', /not pinned/],
    [
      'root user',
      'FROM node:22.1.0 AS b\nFROM node:22.1.0 AS r\nUSER root\nSTOPSIGNAL SIGTERM\nCMD ["node"]',
      /runs as root/,
    ],
    ['no user', 'FROM node:22.1.0 AS b\nFROM node:22.1.0 AS r\nSTOPSIGNAL SIGTERM\nCMD ["node"]', /no USER/],
    [
      'ADD url',
      'FROM node:22.1.0 AS b\nADD https://x.io/a.tgz /a\nFROM node:22.1.0 AS r\nUSER node\nSTOPSIGNAL SIGTERM\nCMD ["node"]',
      /ADD of a URL/,
    ],
    [
      'shell-form CMD',
      'FROM node:22.1.0 AS b\nFROM node:22.1.0 AS r\nUSER node\nSTOPSIGNAL SIGTERM\nCMD node x',
      /shell form/,
    ],
    ['no stop signal', 'FROM node:22.1.0 AS b\nFROM node:22.1.0 AS r\nUSER node\nCMD ["node"]', /STOPSIGNAL/],
    [
      'installs in runtime',
      'FROM node:22.1.0 AS b\nFROM node:22.1.0 AS r\nRUN npm ci\nUSER node\nSTOPSIGNAL SIGTERM\nCMD ["node"]',
      /final stage installs/,
    ],
  ])('reports %s', (_name, dockerfile, problem) => {
    expect(lintDockerfile(dockerfile).join('\n')).toMatch(problem);
  });
});
