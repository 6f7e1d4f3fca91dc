import { Agent, type IncomingHttpHeaders, request } from 'node:http';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import { BOARD_MEDIA_TYPE } from '@facet/contracts/operators';

// The board benchmark's HTTP client, in a thread of its own: the local gateway runs on the bench process's main
// thread, and a client reading 4 MB answers there would share its event loop (no client of the real API does).

export interface Timing {
  p50: number;
  p99: number;
  max: number;
  /** Bytes on the wire (gzipped when `gzip`). */
  wireBytes: number;
  /** How long the row took, and how many boards (distinct ETags) it was answered (each new one rendered again). */
  seconds: number;
  boards: number;
  /** p99 of the handler's own time on the store, rendering and compressing (its Server-Timing), when it sent one. */
  storeP99?: number;
  renderP99?: number;
  gzipP99?: number;
}

export interface Measurement {
  readonly url: string;
  readonly token: string;
  readonly requests: number;
  /** `fresh`: plain GETs, each a 200; `unchanged`: with the current ETag, each a 304 (a moved ETag is not a sample). */
  readonly mode: 'fresh' | 'unchanged';
  /** Ask for the gzipped board, as the site does (else plain JSON, as a script would get it). */
  readonly gzip: boolean;
}

/** One run's raw figures: each request's time and the handler's own (Server-Timing), in the order they came. */
export interface Samples {
  readonly ms: number[];
  readonly store: number[];
  readonly render: number[];
  readonly compress: number[];
  readonly wireBytes: number;
  readonly seconds: number;
  readonly etags: string[];
  readonly mode: Measurement['mode'];
  readonly gzip: boolean;
}

/**
 * The client thread, kept for a whole benchmark: one connection and one warmed-up JIT for every row and block, so
 * that a block after a pause is not timed with a new thread's start.
 */
export function startBoardClient() {
  const worker = new Worker(new URL(import.meta.url));
  const failed = new Promise<never>((_, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the bench client exited (${code})`)));
  });
  failed.catch(() => undefined);
  return {
    /** Runs `measurement` on the client thread (one at a time). */
    measure(measurement: Measurement): Promise<Samples> {
      const answered = new Promise<Samples>((resolve) => worker.once('message', resolve));
      worker.postMessage(measurement);
      return Promise.race([answered, failed]);
    },
    close: () => worker.terminate(),
  };
}

/** The figures of one or more runs of the same measurement taken together (e.g. blocks between pauses). */
export function summarize(runs: readonly Samples[]): Timing {
  const sorted = (pick: (s: Samples) => number[]) => runs.flatMap(pick).sort((a, b) => a - b);
  const [ms, store, render, compress] = [
    sorted((s) => s.ms),
    sorted((s) => s.store),
    sorted((s) => s.render),
    sorted((s) => s.compress),
  ];
  const first = runs[0];
  const handler =
    first?.mode === 'fresh'
      ? {
          storeP99: percentile(store, 99),
          renderP99: percentile(render, 99),
          ...(first.gzip ? { gzipP99: percentile(compress, 99) } : {}),
        }
      : {};
  return {
    p50: percentile(ms, 50),
    p99: percentile(ms, 99),
    max: ms.at(-1) ?? 0,
    wireBytes: runs.at(-1)?.wireBytes ?? 0,
    seconds: runs.reduce((sum, s) => sum + s.seconds, 0),
    boards: new Set(runs.flatMap((s) => s.etags)).size,
    ...handler,
  };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

/** One of the handler's Server-Timing durations (`store`, `render`, `gzip`). */
const serverMs = (headers: IncomingHttpHeaders, metric: string) =>
  Number(new RegExp(`${metric};dur=([\\d.]+)`).exec(String(headers['server-timing'] ?? ''))?.[1] ?? Number.NaN);

/**
 * One GET, timed to its last byte as the API sent it: node:http, which inflates nothing (a browser inflates in
 * native code as the bytes arrive; fetch's stream inflation would time the client, not the API).
 */
function get(url: string, headers: Record<string, string>) {
  return new Promise<{ status: number; headers: IncomingHttpHeaders; bytes: number }>((resolve, reject) => {
    const req = request(url, { headers, agent }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

/** Untimed requests at the start of each run: the connection and the client's code warmed up again after a pause. */
const WARMUP = 20;

const requestHeaders = (token: string, gzip: boolean): Record<string, string> => ({
  authorization: `Bearer ${token}`,
  ...(gzip ? { accept: BOARD_MEDIA_TYPE, 'accept-encoding': 'gzip' } : { 'accept-encoding': 'identity' }),
});

async function measure({ url, token, requests, mode, gzip }: Measurement): Promise<Samples> {
  const ms: number[] = [];
  const store: number[] = [];
  const render: number[] = [];
  const compress: number[] = [];
  let wireBytes = 0;
  const etags = new Set<string>();
  for (let i = 0; i < WARMUP; i++) await get(`${url}/ops/board`, requestHeaders(token, gzip));
  const rowStarted = performance.now();
  let etag = '';
  const expected = mode === 'fresh' ? 200 : 304;
  while (ms.length < requests) {
    const headers = requestHeaders(token, gzip);
    if (mode === 'unchanged') headers['if-none-match'] = etag;
    const started = performance.now();
    const res = await get(`${url}/ops/board`, headers);
    const took = performance.now() - started;
    if (mode === 'unchanged' && res.status === 200) {
      // The projection moved (a late event) or the minute turned (the flags follow the clock): the new ETag.
      etag = String(res.headers.etag ?? '');
      continue;
    }
    if (res.status !== expected) throw new Error(`board answered ${res.status}, expected ${expected}`);
    if (gzip && res.status === 200 && res.headers['content-encoding'] !== 'gzip') throw new Error('not gzipped');
    ms.push(took);
    store.push(serverMs(res.headers, 'store'));
    render.push(serverMs(res.headers, 'render'));
    if (gzip) compress.push(serverMs(res.headers, 'gzip'));
    wireBytes = res.bytes;
    etags.add(String(res.headers.etag ?? ''));
  }
  const seconds = (performance.now() - rowStarted) / 1000;
  return { ms, store, render, compress, wireBytes, seconds, etags: [...etags], mode, gzip };
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  port.on('message', (measurement: Measurement) => {
    // A failed run rejects unhandled: the thread ends with the error, and the bench with it.
    measure(measurement).then((samples) => port.postMessage(samples));
  });
}
