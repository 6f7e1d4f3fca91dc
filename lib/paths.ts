import { fileURLToPath } from 'node:url';

/** The repository root: wiring `entry` paths and the calculator's Docker build context are relative to it. */
export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
