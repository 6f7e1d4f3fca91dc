import { parentPort, workerData } from 'node:worker_threads';
import type { OrderItem } from '@facet/domain/order';
import type { ThreadMessage } from './calculator.ts';
import { calculateOutcome } from './outcome.ts';

const { bytes, items, now } = workerData as { bytes: Uint8Array; items: OrderItem[]; now: number };
const post = (message: ThreadMessage) => parentPort?.postMessage(message);

try {
  const outcome = calculateOutcome(bytes, items, new Date(now), (stage, percent) =>
    post({ type: 'progress', stage, percent }),
  );
  post({ type: 'result', outcome });
} catch (error) {
  post({ type: 'error', message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
}
