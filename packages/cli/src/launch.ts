/**
 * Entry of the bundled CLI (`npm run bench` runs it as one process per model): turns on Node's on-disk V8
 * compile cache before the CLI module loads, so repeated runs skip parsing and compiling it (Node ≥ 22.1; a no-op
 * on older Node). The cache lives in the OS temp directory and is keyed by the module's content.
 */
import module from 'node:module';

module.enableCompileCache?.();
const { run } = await import('./main.ts');
process.exitCode = await run(process.argv.slice(2));
