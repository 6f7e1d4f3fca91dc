// Entry of the local cloud's threads (Lambda groups, emulators): plain JS, so it can register tsx before loading
// the TypeScript module named in workerData.module (the thread starts with Node's own loader, whatever the parent
// process used).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.module);
