import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CalculationOutcome, Calculator } from '@facet/domain/orders/calculate-order';
import type { PriceBook } from '@facet/domain/pricing';

/**
 * Same extension as this module: `.ts` under tsx; `.mjs` in the container image, where this module is bundled into
 * `main.mjs` and the thread is its own entry next to it (containers/calculator/Dockerfile).
 */
const threadUrl = new URL(`./calc-thread${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

export type ThreadMessage =
  | { type: 'progress'; stage: string; percent: number }
  | { type: 'result'; outcome: CalculationOutcome }
  | { type: 'error'; message: string };

/**
 * Runs the CPU-bound engine on a worker thread, so the main thread keeps heartbeating the SQS message and
 * writing progress while a large model is calculated. Heap is capped per job. Prices come from the caller's
 * source, resolved here for the job's start and handed to the thread as data.
 */
export const threadCalculator =
  (priceBookAt: (now: Date) => PriceBook): Calculator =>
  (bytes, order, onProgress) =>
    new Promise((resolve, reject) => {
      const now = new Date();
      const worker = new Worker(threadUrl, {
        workerData: { bytes, items: order.items, priceBook: priceBookAt(now), now: now.getTime() },
        resourceLimits: { maxOldGenerationSizeMb: 3072 },
      });
      let settled = false;
      worker.on('message', (message: ThreadMessage) => {
        if (message.type === 'progress') return onProgress(message.stage, message.percent);
        settled = true;
        if (message.type === 'result') resolve(message.outcome);
        else reject(new Error(message.message));
      });
      worker.on('error', (error) => {
        settled = true;
        reject(error);
      });
      worker.on('exit', (code) => {
        if (!settled) reject(new Error(`calculation thread exited with code ${code}`));
      });
    });
