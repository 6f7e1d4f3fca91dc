import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { box, toBinaryStl } from '@facet/geometry';
import { describe, expect, it } from 'vitest';

/** The launcher is plain JavaScript (it runs before any TypeScript loader): loaded by URL, typed here. */
interface BundleCache {
  ensureBundle(o: { packageDir: string; entry: string; cacheDir: string }): Promise<{ path: string; built: boolean }>;
}
interface ProjectNode {
  projectNode(version: string, resolve?: (request: string) => string): string | undefined;
}
const bin = new URL('../bin/', import.meta.url);
const { ensureBundle } = (await import(new URL('bundle-cache.js', bin).href)) as BundleCache;
const { projectNode } = (await import(new URL('project-node.js', bin).href)) as ProjectNode;

/** A package of two modules, the entry printing what the other exports. */
const tinyPackage = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'facet-launcher-'));
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src/launch.ts'), "import { word } from './word.ts';\nconsole.log(word);\n");
  writeFileSync(join(dir, 'src/word.ts'), "export const word: string = 'first';\n");
  return dir;
};
const runBundle = (path: string): string => execFileSync(process.execPath, [path], { encoding: 'utf8' }).trim();

describe('the CLI launcher', () => {
  it('builds the bundle once, reuses it, and rebuilds when a source changes', async () => {
    // Prepare
    const packageDir = tinyPackage();
    const cacheDir = join(packageDir, 'cache');
    mkdirSync(cacheDir);
    const options = { packageDir, entry: 'src/launch.ts', cacheDir };
    // Act
    const first = await ensureBundle(options);
    const again = await ensureBundle(options);
    writeFileSync(join(packageDir, 'src/word.ts'), "export const word: string = 'second';\n");
    const changed = await ensureBundle(options);
    // Assess
    expect([first.built, again.built, changed.built]).toEqual([true, false, true]);
    expect(again.path).toBe(first.path);
    expect(changed.path).not.toBe(first.path);
    expect(runBundle(first.path)).toBe('first');
    expect(runBundle(changed.path)).toBe('second');
  });

  it('hands an older Node over to the project Node 22, and stays on 22 or later', () => {
    // Act
    const fromNode20 = projectNode('20.20.2');
    // Assess
    expect(fromNode20).toMatch(/node[/\\]bin[/\\]node$/);
    expect(execFileSync(fromNode20 ?? 'missing', ['--version'], { encoding: 'utf8' })).toMatch(/^v22\./);
    expect(projectNode('22.23.3')).toBeUndefined();
    expect(projectNode('24.0.0')).toBeUndefined();
    expect(
      projectNode('20.20.2', () => {
        throw new Error('not installed');
      }),
    ).toBeUndefined();
  });

  it('runs `facet analyze` from the bin, whichever Node starts it', () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'facet-bin-'));
    const cube = join(dir, 'cube.stl');
    writeFileSync(cube, toBinaryStl(box(10, 10, 10)));
    const facet = new URL('facet.js', bin).pathname;
    // Act: once on the Node running the tests, once on the system's (Node 20 on our machines) if there is one.
    const nodes = ['node', ...(existsSync('/usr/bin/node') ? ['/usr/bin/node'] : [])];
    const outputs = nodes.map((node) =>
      execFileSync(node, [facet, 'analyze', cube, '--json', '--validate-only'], { encoding: 'utf8' }),
    );
    // Assess
    for (const out of outputs) {
      expect(JSON.parse(out)).toMatchObject({ schemaVersion: 1, model: { trianglesRead: 12 } });
    }
  }, 60_000);
});
