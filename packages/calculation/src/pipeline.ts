/**
 * The calculation's stages, in order, with progress: parse → weld → topology and repair → metrics → BVH →
 * self-intersections → wall thickness → slicing (→ layer images) → quote → thumbnail. It measures and prices; it
 * does not judge (acceptance.ts) or format (report.ts). Model errors (unreadable input) throw `ModelError`.
 */
import { gramsFor } from '@facet/domain/alloys';
import { type CastingRules, DEFAULT_CASTING_RULES, minWallFor } from '@facet/domain/casting-rules';
import { type Quote, type QuoteInput, quote } from '@facet/domain/pricing';
import { buildBvh } from '@facet/geometry/bvh';
import { Deadline, resolveLimits } from '@facet/geometry/errors';
import { findSelfIntersections, type IntersectionResult } from '@facet/geometry/intersect';
import type { IndexedMesh, ModelFormat, ParsedModel } from '@facet/geometry/mesh';
import { computeMetrics, type Metrics } from '@facet/geometry/metrics';
import { parseModel, parseModelSource } from '@facet/geometry/parse';
import { createLayerRenderer, renderThumbnail } from '@facet/geometry/render';
import { estimatePrintSeconds, GENERIC_DLP_PROFILE, type SliceResult, sliceMesh } from '@facet/geometry/slice';
import type { ByteSource } from '@facet/geometry/source';
import { DEFAULT_REPAIR_OPTIONS, type RepairResult, repairMesh } from '@facet/geometry/topology';
import { measureWalls, type WallResult } from '@facet/geometry/wall';
import { weld } from '@facet/geometry/weld';
import type { CalculationDeps, CalculationRequest } from './request.ts';
import { Stopwatch } from './stopwatch.ts';
import { thumbnailColor } from './thumbnail-color.ts';

/** What the file was, before any repair. */
export interface ModelRead {
  format: ModelFormat;
  bytes: number;
  sourceUnit: string;
  trianglesRead: number;
  notes: string[];
}

export interface PrintTime {
  printer: string;
  seconds: number;
  layers: number;
}

/** Every stage's raw result (null: the stage was not asked for). */
export interface PipelineResult {
  model: ModelRead;
  rules: CastingRules;
  /** The repaired mesh with its topology, defects and repairs. */
  repaired: RepairResult;
  metrics: Metrics;
  selfIntersections: IntersectionResult | null;
  /** The alloy's minimum wall (mm), and what the rays measured. */
  minimumWallMm: number;
  walls: WallResult | null;
  slices: SliceResult | null;
  printTime: PrintTime | null;
  layerPngs?: Uint8Array[];
  pricing: QuoteInput;
  quote: Quote;
  thumbnailPng?: Uint8Array;
  timings: Record<string, number>;
}

export const runPipeline = (
  input: Uint8Array | ByteSource,
  request: CalculationRequest,
  deps: CalculationDeps,
): PipelineResult => {
  const clock = deps.clock ?? (() => performance.now());
  const limits = resolveLimits(deps.limits);
  const deadline = new Deadline(limits.maxMillis, clock);
  const rules = deps.rules ?? DEFAULT_CASTING_RULES;
  const watch = new Stopwatch(clock, deps.onProgress);

  const parsed =
    input instanceof Uint8Array
      ? parseModel(input, { limits, deadline })
      : parseModelSource(input, { limits, deadline });
  const model: ModelRead = {
    format: parsed.format,
    bytes: input instanceof Uint8Array ? input.length : input.size,
    sourceUnit: parsed.sourceUnit,
    // Counted before the repair, which works on the parsed indices in place.
    trianglesRead: parsed.indices.length / 3,
    notes: parsed.notes,
  };
  watch.lap('parse', 15);
  const exact = parsed.exactWelded ? parsed : weld(parsed, 0, deadline);
  watch.lap('weld', 25);
  const repaired = repairWithToleranceRetry(parsed, exact, request, deps, deadline);
  watch.lap('topology', 40);
  const mesh = repaired.mesh;
  const metrics = computeMetrics(mesh);
  watch.lap('metrics', 45);

  // Self-intersections and wall thickness share one BVH.
  const needBvh = request.wallThickness !== false || request.selfIntersections !== false;
  const bvh = needBvh ? buildBvh(mesh) : null;
  if (bvh) watch.lap('bvh', 50);
  let selfIntersections: IntersectionResult | null = null;
  if (bvh && request.selfIntersections !== false) {
    selfIntersections = findSelfIntersections(mesh, bvh, request.selfIntersectionMillis ?? 3_000, 25, clock);
    watch.lap('self-intersections', 55);
  }
  const minimumWallMm = minWallFor(request.alloy, rules);
  let walls: WallResult | null = null;
  if (bvh && request.wallThickness !== false) {
    walls = measureWalls(mesh, bvh, { minimumMm: minimumWallMm }, deadline);
    watch.lap('wall-thickness', 70);
  }

  let slices: SliceResult | null = null;
  let printTime: PrintTime | null = null;
  let layerPngs: Uint8Array[] | undefined;
  if (request.slicing !== false && repaired.topology.triangles > 0) {
    slices = sliceMesh(
      mesh,
      { layerHeightMm: request.layerHeightMm ?? 0.025, edges: repaired.edges, maxSegments: limits.maxSliceSegments },
      deadline,
    );
    const printer = request.printer ?? GENERIC_DLP_PROFILE;
    const layers = slices.layerCount;
    printTime = { printer: printer.name, seconds: Math.round(estimatePrintSeconds(layers, printer)), layers };
    watch.lap('slicing', 85);
    if (request.layerImagePixelMm !== undefined && request.layerImagePixelMm > 0) {
      layerPngs = renderLayers(slices, metrics, request.layerImagePixelMm, deadline);
      watch.lap('layer-images', 90);
    }
  }

  const pricing = quoteInput(request, metrics, rules, slices?.layerCount ?? 0);
  const quoted = quote(pricing, deps.priceBook, deps.now);
  watch.lap('quote', 95);

  const thumbnailPng =
    request.thumbnail === false
      ? undefined
      : renderThumbnail(mesh, { size: request.thumbnailSize ?? 256, color: thumbnailColor(request.alloy) }, deadline);
  if (thumbnailPng) watch.lap('thumbnail', 100);

  return {
    model,
    rules,
    repaired,
    metrics,
    selfIntersections,
    minimumWallMm,
    walls,
    slices,
    printTime,
    ...(layerPngs ? { layerPngs } : {}),
    pricing,
    quote: quoted,
    ...(thumbnailPng ? { thumbnailPng } : {}),
    timings: watch.timings,
  };
};

/**
 * Exact weld first (bit-identical corners: what every exporter writes). Only when that leaves the surface open is
 * the tolerance weld tried, and kept if it closes more edges: clean meshes never pay for the spatial hash.
 */
const repairWithToleranceRetry = (
  parsed: ParsedModel,
  exact: IndexedMesh,
  request: CalculationRequest,
  deps: CalculationDeps,
  deadline: Deadline,
): RepairResult => {
  const tolerance = request.weldToleranceMm ?? 1e-4;
  // In place: the welded mesh is ours (fresh from the reader or the weld), so no copy of the indices is needed.
  const options = { ...DEFAULT_REPAIR_OPTIONS, ...deps.repair, inPlace: true };
  const fixed = repairMesh(exact, options, deadline);
  if (!(tolerance > 0) || openEdges(fixed) === 0) return fixed;
  const retry = weld(parsed, tolerance, deadline);
  if (retry.mergedByTolerance === 0) return fixed;
  const retried = repairMesh(retry, options, deadline);
  return openEdges(retried) < openEdges(fixed) ? retried : fixed;
};

const openEdges = (r: RepairResult): number => r.topology.boundaryEdges + r.topology.nonManifoldEdges;

/** One PNG mask per layer over the model's footprint, bottom up. */
const renderLayers = (slices: SliceResult, metrics: Metrics, pixelMm: number, deadline: Deadline): Uint8Array[] => {
  const { min, max } = metrics.bbox;
  const renderer = createLayerRenderer(slices, { pixelMm, x0: min[0], y0: min[1], x1: max[0], y1: max[1], level: 1 });
  const pngs: Uint8Array[] = [];
  for (let k = 0; k < slices.layerCount; k++) {
    pngs.push(renderer.render(k));
    if ((k & 63) === 0) deadline.check();
  }
  return pngs;
};

/** The quote's inputs: kept with the order so an expired quote can be priced again. */
const quoteInput = (request: CalculationRequest, metrics: Metrics, rules: CastingRules, layers: number): QuoteInput => {
  const volume = Math.max(0, metrics.volumeMm3);
  return {
    alloy: request.alloy,
    quantity: request.quantity,
    gramsPerPiece: gramsFor(volume, request.alloy) * (1 + rules.sprueAllowance),
    volumeMm3: volume,
    areaMm2: metrics.areaMm2,
    layers,
  };
};
