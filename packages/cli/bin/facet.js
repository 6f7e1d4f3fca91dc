#!/usr/bin/env node
// `facet …`: runs the CLI as one esbuild bundle on Node 22 (what the benchmarks measure), built on first use into
// node_modules/.cache/facet-cli and rebuilt only when one of its sources changes. When no bundle can be built, it
// runs the TypeScript sources through tsx instead: slower, but working.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { projectNode } from './project-node.js';

const self = fileURLToPath(import.meta.url);
const args = process.argv.slice(2);
const node22 = projectNode(process.versions.node);

if (node22) {
  // Started by an older Node: hand the whole run over to Node 22 before doing anything else.
  const child = spawnSync(node22, [self, ...args], { stdio: 'inherit' });
  if (child.signal) process.kill(process.pid, child.signal);
  process.exitCode = child.status ?? 1;
} else {
  const { defaultCacheDir, ensureBundle } = await import('./bundle-cache.js');
  let bundle;
  try {
    bundle = await ensureBundle({
      packageDir: join(dirname(self), '..'),
      entry: 'src/launch.ts',
      cacheDir: defaultCacheDir(),
      log: (line) => process.stderr.write(`${line}\n`),
    });
  } catch (error) {
    process.stderr.write(`facet: no bundle (${error instanceof Error ? error.message : error}); running the sources\n`);
  }
  if (bundle) {
    // The bundle's entry turns on the compile cache, runs the CLI and sets process.exitCode.
    await import(pathToFileURL(bundle.path).href);
  } else {
    const { register } = await import('tsx/esm/api');
    register();
    const { run } = await import('../src/main.ts');
    process.exitCode = await run(args);
  }
}
