import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { EmulatorStart } from './emulator-thread.ts';
import { type Emulator, startS3, startSqsSns } from './emulators.ts';

/** The thread side of an emulator thread: starts the emulator, answers with its endpoint, stops on request. */
const { start } = workerData as { start: EmulatorStart };
// On AWS, S3 and SQS have capacity of their own: a calculator streaming a 50 MB model takes nothing from the API.
// Locally this thread (only this one: Linux's nice is per thread) yields the shared cores to the gateway and the
// handlers when both are busy, and runs as fast as ever when they are not.
setPriority(10);
let emulator: Emulator | undefined;
try {
  emulator = start.kind === 's3' ? await startS3(start.port, start.dir, start.buckets) : await startSqsSns(start.port);
  parentPort?.postMessage({ endpoint: emulator.endpoint });
} catch (error) {
  parentPort?.postMessage({ error: error instanceof Error ? error.message : String(error) });
}
parentPort?.on('message', async (m: { stop?: boolean }) => {
  if (!m.stop) return;
  await emulator?.stop();
  // The thread ends with its event loop; the caller waits for its exit.
  parentPort?.close();
});
