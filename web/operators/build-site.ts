import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const SITE = fileURLToPath(new URL('.', import.meta.url));
const DIST = join(SITE, 'dist');
const STAMP = join(DIST, '.build-hash');

/** Every input of the build: the site's sources and config, and the contracts' types it compiles against. */
function inputs(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else files.push(path);
    }
  };
  walk(join(SITE, 'src'));
  files.push(join(SITE, 'index.html'), join(SITE, 'vite.config.ts'));
  return files.sort();
}

function sourceHash(): string {
  const hash = createHash('sha256');
  for (const file of inputs()) hash.update(relative(SITE, file)).update('\0').update(readFileSync(file));
  return hash.digest('hex');
}

/**
 * Builds the operators' site into web/operators/dist when its sources changed since the last build (a hash of
 * them is kept in dist), and returns the folder. The local cloud calls it at start; `npm run build:sites` before a
 * deploy. A build takes a few seconds; an unchanged site costs a hash of its sources.
 */
export async function ensureOperatorsSiteBuilt(log: (line: string) => void = () => undefined): Promise<string> {
  const hash = sourceHash();
  if (existsSync(STAMP) && readFileSync(STAMP, 'utf8') === hash && existsSync(join(DIST, 'index.html'))) return DIST;
  log('building the operators site (web/operators) …');
  const started = Date.now();
  // A process of its own with NODE_ENV=production: the caller may be a test runner (NODE_ENV=test), and JSX and
  // React must both be built for production.
  const vite = join(SITE, '..', '..', 'node_modules', '.bin', 'vite');
  await promisify(execFile)(vite, ['build', '--config', join(SITE, 'vite.config.ts'), '--logLevel', 'warn'], {
    cwd: SITE,
    env: { ...process.env, NODE_ENV: 'production' },
  });
  writeFileSync(STAMP, hash);
  log(`built the operators site in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return DIST;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await ensureOperatorsSiteBuilt(console.log);
}
