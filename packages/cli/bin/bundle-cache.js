// The bundled CLI, built on first use and kept while its sources are unchanged. Plain JavaScript: it runs before
// any TypeScript loader. The key is a hash of every input of the last build (contents for our sources, size and
// mtime for files under node_modules, which only change with an install) plus the esbuild version, so an edit to
// any module the CLI imports rebuilds it once and nothing else does.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

const require = createRequire(import.meta.url);
const MANIFEST = 'manifest.json';
const ENTRY = 'facet.mjs';

/**
 * @param {string} base directory the inputs are relative to
 * @param {readonly string[]} inputs
 * @param {string} builder the bundler's version
 */
export const sourcesKey = (base, inputs, builder) => {
  const hash = createHash('sha256').update(`esbuild ${builder}\0`);
  for (const input of [...inputs].sort()) {
    const path = resolve(base, input);
    hash.update(`${input}\0`);
    if (path.includes('/node_modules/')) {
      const st = statSync(path);
      hash.update(`${st.size} ${st.mtimeMs}\0`);
    } else {
      hash.update(readFileSync(path)).update('\0');
    }
  }
  return hash.digest('hex').slice(0, 16);
};

/** @param {string} cacheDir */
const readManifest = (cacheDir) => {
  try {
    return JSON.parse(readFileSync(join(cacheDir, MANIFEST), 'utf8'));
  } catch {
    return undefined;
  }
};

/**
 * The bundle's entry file, building it first when the cache has none for the current sources.
 * @param {{ packageDir: string, entry: string, cacheDir: string, log?: (line: string) => void }} options
 * @returns {Promise<{ path: string, built: boolean }>}
 */
export const ensureBundle = async ({ packageDir, entry, cacheDir, log = () => {} }) => {
  const manifest = readManifest(cacheDir);
  if (manifest) {
    try {
      const key = sourcesKey(packageDir, manifest.inputs, manifest.builder);
      const path = join(cacheDir, key, ENTRY);
      if (key === manifest.key && existsSync(path)) return { path, built: false };
    } catch {
      // An input was deleted or moved: build again.
    }
  }
  const esbuild = await import('esbuild');
  log('facet: building the CLI bundle (once per change of its sources)…');
  const staging = join(cacheDir, `.build-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  const result = await esbuild.build({
    absWorkingDir: packageDir,
    entryPoints: { facet: entry },
    bundle: true,
    // The CLI lands in its own chunk, imported after the entry turned on Node's compile cache (src/launch.ts).
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outdir: staging,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'facet-[name]',
    metafile: true,
    logLevel: 'warning',
  });
  const inputs = Object.keys(result.metafile.inputs);
  const key = sourcesKey(packageDir, inputs, esbuild.version);
  const target = join(cacheDir, key);
  if (!existsSync(join(target, ENTRY))) {
    rmSync(target, { recursive: true, force: true });
    // A concurrent first run may have won the race: its bundle is the same.
    try {
      renameSync(staging, target);
    } catch (error) {
      if (!existsSync(join(target, ENTRY))) throw error;
    }
  }
  rmSync(staging, { recursive: true, force: true });
  const next = join(cacheDir, `${MANIFEST}.${process.pid}`);
  writeFileSync(next, JSON.stringify({ key, builder: esbuild.version, inputs }));
  renameSync(next, join(cacheDir, MANIFEST));
  return { path: join(target, ENTRY), built: true };
};

/** Where the bundle is kept: beside the installed esbuild, in node_modules/.cache (never committed). */
export const defaultCacheDir = () => {
  const dir = join(dirname(dirname(require.resolve('esbuild/package.json'))), '.cache', 'facet-cli');
  mkdirSync(dir, { recursive: true });
  return dir;
};
