// Entry of the local Lambda runtime thread: plain JS, so it can register tsx before loading the TypeScript host
// (the thread starts with Node's own loader, whatever the parent process used).
import { register } from 'tsx/esm/api';

register();
await import('./lambda-host-runtime.ts');
