// Entry of an emulator's thread: plain JS, so it can register tsx before loading the TypeScript emulator
// (the thread starts with Node's own loader, whatever the parent process used).
import { register } from 'tsx/esm/api';

register();
await import('./emulator-thread-runtime.ts');
