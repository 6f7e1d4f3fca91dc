// Which Node should run the CLI: the project's own (the `node` devDependency, Node 22: the engine and compile cache
// the benchmarks measure) when an older one started us, e.g. `node_modules/.bin/facet` from a shell on Node 20.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The project's Node binary when the running one (`version`, as in process.versions.node) is older than 22;
 * undefined when we already run on 22 or later, or when it is not installed.
 * @param {string} version
 * @param {(request: string) => string} resolve how to find the `node` package (createRequire's resolve)
 */
export const projectNode = (version, resolve = createRequire(import.meta.url).resolve) => {
  if (Number(version.split('.')[0]) >= 22) return undefined;
  try {
    const bin = join(dirname(resolve('node/package.json')), 'bin', 'node');
    return existsSync(bin) ? bin : undefined;
  } catch {
    return undefined;
  }
};
