#!/usr/bin/env node
// Plain JS entry: registers tsx so the TypeScript sources run as they are, then hands over to main.
import { register } from 'tsx/esm/api';

register();
const { run } = await import('../src/main.ts');
process.exitCode = await run(process.argv.slice(2));
