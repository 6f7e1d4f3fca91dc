import { isAlloyId } from '@facet/domain/alloys';
import type { OrderItem } from '@facet/domain/order';
import type { CalculationOutcome, ProgressListener } from '@facet/domain/orders/calculate-order';
import { toOrderQuote } from '@facet/domain/orders/order-quote';
import type { PriceBook } from '@facet/domain/pricing';
import { isModelError } from '@facet/geometry/errors';
import { runCalculation } from './calculation.ts';

/**
 * Runs the engine for an order's item and reduces the report to what the order keeps. A file the engine cannot
 * read (not a model, truncated, a zip bomb…) becomes a rejection with the engine's customer-readable message.
 * The price book is the caller's (the worker's injected price source, resolved for `now`).
 */
export function calculateOutcome(
  bytes: Uint8Array,
  items: readonly OrderItem[],
  priceBook: PriceBook,
  now: Date,
  onProgress: ProgressListener,
): CalculationOutcome {
  const item = items[0];
  if (!item || !isAlloyId(item.alloy)) throw new Error(`order has no valid item: ${JSON.stringify(items)}`);
  let result: ReturnType<typeof runCalculation>;
  try {
    result = runCalculation(
      bytes,
      { alloy: item.alloy, quantity: item.quantity, repairedModel: true },
      { priceBook, now, onProgress },
    );
  } catch (error) {
    if (!isModelError(error)) throw error;
    const reportJson = JSON.stringify({
      schemaVersion: 1,
      verdict: 'rejected',
      reasons: [{ code: error.code, message: error.message }],
    });
    return {
      verdict: 'rejected',
      reasons: [error.message],
      defects: [{ code: error.code, message: error.message }],
      reportJson,
    };
  }
  const { report, thumbnailPng, pricing, repairedStl } = result;
  const weight = report.weights.perAlloy.find((w) => w.alloy === item.alloy);
  return {
    verdict: report.verdict === 'rejected' ? 'rejected' : 'quoted',
    reasons: report.reasons.map((r) => r.message),
    metrics: {
      volumeMm3: report.metrics.volumeMm3,
      areaMm2: report.metrics.areaMm2,
      boundingBoxMm: report.metrics.bbox.size,
      triangles: report.model.triangles,
      weightGrams: weight?.withSprueGrams ?? 0,
    },
    quote: toOrderQuote(report.quote),
    pricing,
    defects: report.reasons.map((r) => ({ code: r.code, message: r.message })),
    reportJson: JSON.stringify(report),
    modelFormat: report.model.format,
    ...(thumbnailPng ? { thumbnailPng } : {}),
    ...(repairedStl ? { repairedStl } : {}),
  };
}
