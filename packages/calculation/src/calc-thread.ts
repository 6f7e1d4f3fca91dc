import { parentPort, workerData } from 'node:worker_threads';
import type { OrderItem } from '@facet/domain/order';
import type { PriceBook } from '@facet/domain/pricing';
import type { ThreadMessage } from './calculator.ts';
import { calculateOutcome } from './outcome.ts';

/** The price book arrives as data (structured-cloned): the thread never picks a price source of its own. */
const { bytes, items, priceBook, now } = workerData as {
  bytes: Uint8Array;
  items: OrderItem[];
  priceBook: PriceBook;
  now: number;
};
const post = (message: ThreadMessage) => parentPort?.postMessage(message);

try {
  const outcome = calculateOutcome(bytes, items, priceBook, new Date(now), (stage, percent) =>
    post({ type: 'progress', stage, percent }),
  );
  post({ type: 'result', outcome });
} catch (error) {
  post({ type: 'error', message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
}
