import { parentPort, workerData } from 'node:worker_threads';
import { lambdaContext } from './lambda-context.ts';

/**
 * The thread side of the local Lambda runtime: imports each handler module once (module scope kept between
 * invocations, as in a warm Lambda), runs invocations concurrently and answers each by id. Its process.env is the
 * environment the local cloud gave this thread, so handlers' module-scope config and SDK clients are its own.
 */
type Handler = (event: unknown, context: unknown) => Promise<unknown>;
export interface Invocation {
  readonly id: number;
  readonly entry: string;
  readonly fn: string;
  readonly event: unknown;
}
export type InvocationResult =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly id: number; readonly ok: false; readonly message: string; readonly stack?: string };

const { root } = workerData as { root: string };
const handlers = new Map<string, Promise<Handler>>();

function handlerOf(entry: string): Promise<Handler> {
  let loaded = handlers.get(entry);
  if (!loaded) {
    loaded = import(new URL(entry, `file://${root}/`).href).then((mod: { handler?: Handler }) => {
      if (!mod.handler) throw new Error(`${entry} exports no handler`);
      return mod.handler;
    });
    handlers.set(entry, loaded);
  }
  return loaded;
}

parentPort?.on('message', (call: Invocation | { preload: string[] }) => {
  if ('preload' in call) {
    Promise.all(call.preload.map(handlerOf)).then(
      () => parentPort?.postMessage({ preloaded: true }),
      (error: Error) => parentPort?.postMessage({ preloaded: false, message: error.message, stack: error.stack }),
    );
    return;
  }
  handlerOf(call.entry)
    .then((handler) => handler(call.event, lambdaContext(call.fn)))
    .then(
      (result) => parentPort?.postMessage({ id: call.id, ok: true, result } satisfies InvocationResult),
      (error: unknown) =>
        parentPort?.postMessage({
          id: call.id,
          ok: false,
          message: error instanceof Error ? error.message : String(error),
          ...(error instanceof Error && error.stack ? { stack: error.stack } : {}),
        } satisfies InvocationResult),
    );
});
