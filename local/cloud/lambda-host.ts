import { Worker } from 'node:worker_threads';
import type { InvocationResult } from './lambda-host-runtime.ts';

/** A handler's failure, as Lambda reports it to its caller (the gateway answers 502, a poller retries). */
export class InvocationError extends Error {
  constructor(
    message: string,
    readonly handlerStack?: string,
  ) {
    super(message);
    this.name = 'InvocationError';
  }
}

export interface LambdaHost {
  /** Runs the handler module `entry` (repository-relative) on `event`, as function `fn`. */
  invoke<R>(entry: string, fn: string, event: unknown): Promise<R>;
  stop(): Promise<void>;
}

/** Functions that share one thread locally: e.g. an audience's routes and its authorizer. */
export interface LambdaGroup {
  readonly name: string;
  readonly functions: readonly { readonly fn: string; readonly entry: string }[];
}

/**
 * The local Lambda runtime: each group of functions runs in a worker thread of its own, with the cloud's
 * environment as that thread's process.env. On AWS every function has its own execution environments; locally
 * one thread per group keeps that isolation where it matters (the operators' board never waits behind the
 * projector or a webhook delivery on one event loop) without a thread per function. Nothing is written to this
 * process's environment, so two local clouds can run side by side in one process (each has its own threads, its
 * own module instances, its own SDK clients) and the caller's environment never leaks into a handler.
 */
export async function startLambdaHost(
  root: string,
  env: Readonly<Record<string, string>>,
  groups: readonly LambdaGroup[],
): Promise<LambdaHost> {
  const started = await Promise.allSettled(
    groups.map((g) => startThread(root, env, g.name, [...new Set(g.functions.map((f) => f.entry))])),
  );
  const threads = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    await Promise.all(threads.map((t) => t.stop()));
    throw failed.reason;
  }
  const threadOf = new Map(groups.flatMap((g, i) => g.functions.map((f) => [f.fn, threads[i]] as const)));
  return {
    invoke<R>(entry: string, fn: string, event: unknown): Promise<R> {
      const thread = threadOf.get(fn);
      if (!thread) return Promise.reject(new InvocationError(`no local function ${fn}`));
      return thread.invoke<R>(entry, fn, event);
    },
    async stop() {
      await Promise.all(threads.map((t) => t.stop()));
    },
  };
}

async function startThread(
  root: string,
  env: Readonly<Record<string, string>>,
  name: string,
  preload: readonly string[],
): Promise<LambdaHost> {
  const worker = new Worker(new URL('./ts-thread.mjs', import.meta.url), {
    workerData: { module: new URL('./lambda-host-runtime.ts', import.meta.url).href, root },
    env: { ...process.env, ...env },
    name: `lambda:${name}`,
    // The thread registers tsx itself; the parent's flags (vitest's, tsx's) are not the thread's business.
    execArgv: [],
  });
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let next = 0;
  let exited = false;
  const ready = new Promise<void>((resolve, reject) => {
    worker.once('error', reject);
    const onMessage = (m: { preloaded?: boolean; message?: string }) => {
      if (m.preloaded === undefined) return;
      worker.off('message', onMessage);
      if (m.preloaded) resolve();
      else reject(new Error(`a handler of ${name} failed to load: ${m.message}`));
    };
    worker.on('message', onMessage);
  });
  worker.on('message', (m: InvocationResult | { preloaded: boolean }) => {
    if (!('id' in m)) return;
    const waiting = pending.get(m.id);
    pending.delete(m.id);
    if (!waiting) return;
    if (m.ok) waiting.resolve(m.result);
    else waiting.reject(new InvocationError(m.message, m.stack));
  });
  worker.on('exit', (code) => {
    exited = true;
    for (const waiting of pending.values()) waiting.reject(new InvocationError(`the Lambda thread exited (${code})`));
    pending.clear();
  });
  // Loading every handler at start fails fast on a broken module (and warms them, as provisioned concurrency).
  worker.postMessage({ preload });
  await ready.catch(async (error: unknown) => {
    await worker.terminate();
    throw error;
  });
  return {
    invoke<R>(entry: string, fn: string, event: unknown): Promise<R> {
      if (exited) return Promise.reject(new InvocationError('the Lambda thread has stopped'));
      const id = next++;
      return new Promise<R>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        worker.postMessage({ id, entry, fn, event });
      });
    },
    async stop() {
      if (!exited) await worker.terminate();
    },
  };
}
