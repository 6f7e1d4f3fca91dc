/**
 * The calculation: bytes in, a complete report (and a thumbnail) out. Synchronous and CPU-only, so the worker and
 * the CLI call the same function. Model errors (unreadable input) throw `ModelError`; models that read fine but
 * cannot be manufactured come back as a report with `verdict: 'rejected'` and readable reasons.
 * Three named steps: the pipeline measures and prices, the acceptance rules judge, the report assembles.
 */
import type { CalculationReport } from '@facet/contracts/report';
import type { QuoteInput } from '@facet/domain/pricing';
import { toBinaryStl } from '@facet/geometry/encode';
import type { ByteSource } from '@facet/geometry/source';
import { judge } from './acceptance.ts';
import { runPipeline } from './pipeline.ts';
import { buildReport } from './report.ts';
import type { CalculationDeps, CalculationRequest } from './request.ts';

export { ENGINE } from './report.ts';
export type { CalculationDeps, CalculationRequest, ProgressFn } from './request.ts';

export interface CalculationResult {
  report: CalculationReport;
  /** The quote's inputs: kept with the order so an expired quote can be priced again. */
  pricing: QuoteInput;
  thumbnailPng?: Uint8Array;
  /** One PNG per layer, bottom up, when `layerImagePixelMm` was requested. */
  layerPngs?: Uint8Array[];
  /** The repaired mesh (binary STL), when requested and something was repaired. */
  repairedStl?: Uint8Array;
}

/** The model: its bytes (the worker, from S3) or a source read on demand (the CLI, from a file). */
export const runCalculation = (
  input: Uint8Array | ByteSource,
  request: CalculationRequest,
  deps: CalculationDeps,
): CalculationResult => {
  const stages = runPipeline(input, request, deps);
  const report = buildReport(stages, judge(stages, request.alloy), request.alloy, deps.now);
  const result: CalculationResult = { report, pricing: stages.pricing };
  if (stages.thumbnailPng) result.thumbnailPng = stages.thumbnailPng;
  if (stages.layerPngs) result.layerPngs = stages.layerPngs;
  if (request.repairedModel && stages.repaired.repairs.length > 0) {
    result.repairedStl = toBinaryStl(stages.repaired.mesh);
  }
  return result;
};
