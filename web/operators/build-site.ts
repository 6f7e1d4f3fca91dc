import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const SITE = fileURLToPath(new URL('.', import.meta.url));
const ROOT = join(SITE, '..', '..');
const DIST = join(SITE, 'dist');
const STAMP = join(DIST, '.build-hash');

/**
 * Every input of the build: the site's sources and config, the contracts it bundles (stages, columns) and the
 * lockfile (a new React or three.js is a new site).
 */
function inputs(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (!entry.endsWith('.test.ts')) files.push(path);
    }
  };
  walk(join(SITE, 'src'));
  walk(join(ROOT, 'packages', 'contracts', 'src'));
  files.push(join(SITE, 'index.html'), join(SITE, 'vite.config.ts'), join(ROOT, 'package-lock.json'));
  return files.filter((f) => existsSync(f)).sort();
}

function sourceHash(): string {
  const hash = createHash('sha256');
  for (const file of inputs()) hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file));
  return hash.digest('hex');
}

/**
 * Vite's JavaScript API, in a Node process of its own with NODE_ENV=production: the caller may be a test runner
 * (NODE_ENV=test, which Vite would honour with a development build of React) or a long-lived local cloud that should
 * not hold the bundler's memory.
 */
const BUILD_SCRIPT = `
const { build } = await import('vite');
await build({ configFile: process.env.FACET_SITE_CONFIG, mode: 'production', logLevel: 'warn' });
`;

/**
 * Builds the operators' site into web/operators/dist when its inputs changed since the last build (their hash is
 * kept in dist), and returns the folder. The local cloud calls it at start; `npm run build:sites` before a deploy.
 * A build takes a few seconds; an unchanged site costs a hash of its sources (a few milliseconds).
 */
export async function ensureOperatorsSiteBuilt(log: (line: string) => void = () => undefined): Promise<string> {
  const hash = sourceHash();
  if (existsSync(STAMP) && readFileSync(STAMP, 'utf8') === hash && existsSync(join(DIST, 'index.html'))) return DIST;
  log('building the operators site (web/operators) …');
  const started = Date.now();
  await promisify(execFile)(process.execPath, ['--input-type=module', '-e', BUILD_SCRIPT], {
    cwd: SITE,
    env: { ...process.env, NODE_ENV: 'production', FACET_SITE_CONFIG: join(SITE, 'vite.config.ts') },
    maxBuffer: 16 * 1024 * 1024,
  });
  // Written last: a build that failed half-way is built again next time.
  writeFileSync(STAMP, hash);
  log(`built the operators site in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return DIST;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await ensureOperatorsSiteBuilt(console.log);
}
