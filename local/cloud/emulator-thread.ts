import { Worker } from 'node:worker_threads';
import type { Emulator } from './emulators.ts';

export type EmulatorStart =
  | { readonly kind: 'sqs'; readonly port: number }
  | {
      readonly kind: 's3';
      readonly port: number;
      readonly dir: string;
      readonly buckets: readonly { name: string; corsXml: string }[];
    };

/**
 * Starts an in-process emulator (fauxqs, s3rver and its verifying front) on a thread of its own. On AWS, SQS and
 * S3 are services of their own; locally, on the gateway's event loop, a worker streaming a 50 MB model to or from
 * S3 would hold up every API answer behind it.
 */
export async function startEmulatorThread(start: EmulatorStart): Promise<Emulator> {
  const worker = new Worker(new URL('./ts-thread.mjs', import.meta.url), {
    workerData: { module: new URL('./emulator-thread-runtime.ts', import.meta.url).href, start },
    name: `emulator:${start.kind}`,
    execArgv: [],
  });
  const endpoint = await new Promise<string>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the ${start.kind} emulator's thread exited (${code})`)));
    worker.once('message', (m: { endpoint?: string; error?: string }) => {
      if (m.endpoint) resolve(m.endpoint);
      else reject(new Error(m.error ?? `the ${start.kind} emulator did not start`));
    });
  }).catch(async (error: unknown) => {
    await worker.terminate();
    throw error;
  });
  worker.removeAllListeners();
  worker.on('error', (error) => console.error(`[${start.kind}] the emulator's thread failed`, error));
  let exited = false;
  worker.once('exit', () => {
    exited = true;
  });
  return {
    endpoint,
    async stop() {
      if (exited) return;
      const stopped = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage({ stop: true });
      // A stop that hangs (a connection that never closes) ends with the thread.
      const timeout = setTimeout(() => void worker.terminate(), 5_000);
      await stopped;
      clearTimeout(timeout);
    },
  };
}
