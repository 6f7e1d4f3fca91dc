/**
 * The calculation: bytes in, a complete report (and a thumbnail) out. Synchronous and CPU-only, so the worker and
 * the CLI call the same function. Model errors (unreadable input) throw `ModelError`; models that read fine but
 * cannot be manufactured come back as a report with `verdict: 'rejected'` and readable reasons.
 */
import type { CalculationReport } from '@facet/contracts/report';
import { ALLOY_IDS, ALLOYS, type AlloyId, gramsFor } from '@facet/domain/alloys';
import { type CastingRules, DEFAULT_CASTING_RULES, minWallFor } from '@facet/domain/casting-rules';
import { type PriceBook, type QuoteInput, quote } from '@facet/domain/pricing';
import { buildBvh } from '@facet/geometry/bvh';
import { toBinaryStl } from '@facet/geometry/encode';
import { Deadline, type Limits, resolveLimits } from '@facet/geometry/errors';
import { findSelfIntersections } from '@facet/geometry/intersect';
import { computeMetrics } from '@facet/geometry/metrics';
import { parseModel, parseModelSource } from '@facet/geometry/parse';
import { createLayerRenderer, renderThumbnail } from '@facet/geometry/render';
import { estimatePrintSeconds, GENERIC_DLP_PROFILE, type PrinterProfile, sliceMesh } from '@facet/geometry/slice';
import type { ByteSource } from '@facet/geometry/source';
import { DEFAULT_REPAIR_OPTIONS, type RepairOptions, repairMesh } from '@facet/geometry/topology';
import { measureWalls } from '@facet/geometry/wall';
import { weld } from '@facet/geometry/weld';

export const ENGINE = { name: 'facet-geometry', version: '0.1.0' } as const;

export interface CalculationRequest {
  alloy: AlloyId;
  quantity: number;
  /** Slicing layer height (mm); default 0.025. */
  layerHeightMm?: number;
  /** Weld tolerance (mm); default 0.0001. */
  weldToleranceMm?: number;
  /** Render a thumbnail PNG (default true). */
  thumbnail?: boolean;
  /** Also return the repaired mesh as binary STL when any repair was applied (default false). */
  repairedModel?: boolean;
  /** Thumbnail edge in pixels (default 256). */
  thumbnailSize?: number;
  /** Measure wall thickness (default true). */
  wallThickness?: boolean;
  /** Check self-intersections (default true; bounded by `selfIntersectionMillis`). */
  selfIntersections?: boolean;
  selfIntersectionMillis?: number;
  /** Slice (default true). */
  slicing?: boolean;
  /** Render one PNG mask per layer at this pixel size (mm); omitted = no layer images. */
  layerImagePixelMm?: number;
  /** Printer for the print-time estimate (default: the demo generic DLP profile). */
  printer?: PrinterProfile;
}

export type ProgressFn = (stage: string, percent: number) => void;

export interface CalculationDeps {
  priceBook: PriceBook;
  now: Date;
  onProgress?: ProgressFn;
  limits?: Partial<Limits>;
  rules?: CastingRules;
  repair?: Partial<RepairOptions>;
  /** Monotonic clock for timings and the time cap (default performance.now). */
  clock?: () => number;
}

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

const r = (v: number, digits = 3): number => {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};

/** The model: its bytes (the worker, from S3) or a source read on demand (the CLI, from a file). */
export const runCalculation = (
  input: Uint8Array | ByteSource,
  request: CalculationRequest,
  deps: CalculationDeps,
): CalculationResult => {
  const clock = deps.clock ?? (() => performance.now());
  const limits = resolveLimits(deps.limits);
  const deadline = new Deadline(limits.maxMillis, clock);
  const rules = deps.rules ?? DEFAULT_CASTING_RULES;
  const progress = deps.onProgress ?? (() => {});
  const timings: Record<string, number> = {};
  let t0 = clock();
  const lap = (stage: string, percent: number): void => {
    const t = clock();
    timings[stage] = r(t - t0, 1);
    t0 = t;
    progress(stage, percent);
  };

  const parsed =
    input instanceof Uint8Array
      ? parseModel(input, { limits, deadline })
      : parseModelSource(input, { limits, deadline });
  const trianglesRead = parsed.indices.length / 3;
  lap('parse', 15);

  // Exact weld first (bit-identical corners: what every exporter writes). Only when that leaves the surface open
  // is the tolerance weld tried, and kept if it closes more edges: clean meshes never pay for the spatial hash.
  const tolerance = request.weldToleranceMm ?? 1e-4;
  // In place: the welded mesh is ours (fresh from the reader or the weld), so no copy of the indices is needed.
  const repairOptions = { ...DEFAULT_REPAIR_OPTIONS, ...deps.repair, inPlace: true };
  const exact = parsed.exactWelded ? parsed : weld(parsed, 0, deadline);
  lap('weld', 25);
  let fixed = repairMesh(exact, repairOptions, deadline);
  if (tolerance > 0 && (fixed.topology.boundaryEdges > 0 || fixed.topology.nonManifoldEdges > 0)) {
    const retry = weld(parsed, tolerance, deadline);
    if (retry.mergedByTolerance > 0) {
      const retried = repairMesh(retry, repairOptions, deadline);
      const open = (t: typeof fixed.topology): number => t.boundaryEdges + t.nonManifoldEdges;
      if (open(retried.topology) < open(fixed.topology)) fixed = retried;
    }
  }
  const mesh = fixed.mesh;
  lap('topology', 40);

  const metrics = computeMetrics(mesh);
  lap('metrics', 45);

  const defects = [...fixed.defects];
  const reasons: CalculationReport['reasons'] = [];
  let verdict: CalculationReport['verdict'] = 'accepted';
  const reject = (code: string, message: string): void => {
    reasons.push({ code, message });
    verdict = 'rejected';
  };
  const review = (code: string, message: string): void => {
    reasons.push({ code, message });
    if (verdict === 'accepted') verdict = 'review';
  };
  const topo = fixed.topology;
  if (topo.boundaryEdges > 0) {
    reject(
      'not_watertight',
      'The model has holes that are too large to close automatically; it must be a closed solid.',
    );
  }
  if (topo.nonManifoldEdges > 0) {
    reject('non_manifold', 'Some edges are shared by more than two faces; the model is not a valid solid.');
  }
  if (!topo.orientable) reject('non_orientable', 'The surface cannot be oriented consistently (inside vs. outside).');
  if (!(metrics.volumeMm3 > 0)) reject('no_volume', 'The model encloses no volume.');
  if (topo.shells > 1 && defects.some((d) => d.kind === 'floating_shell')) {
    review('floating_parts', 'The model consists of separate parts; each needs its own sprue or a connection.');
  }

  // Self-intersections and wall thickness share one BVH.
  const needBvh = request.wallThickness !== false || request.selfIntersections !== false;
  const bvh = needBvh ? buildBvh(mesh) : null;
  if (bvh) lap('bvh', 50);
  let selfIntersections: number | null = null;
  if (bvh && request.selfIntersections !== false) {
    const found = findSelfIntersections(mesh, bvh, request.selfIntersectionMillis ?? 3_000, 25, clock);
    selfIntersections = found.complete ? found.pairs : null;
    if (found.pairs > 0) {
      defects.push({
        kind: 'self_intersection',
        severity: 'warning',
        count: found.pairs,
        message: `${found.pairs} pairs of faces cross each other${found.complete ? '' : ' (check stopped early: at least this many)'}.`,
        locations: found.locations,
      });
      review('self_intersection', 'The surface crosses itself; the volume and weight may be overstated.');
    }
    lap('self-intersections', 55);
  }

  const minimumWall = minWallFor(request.alloy, rules);
  let wallThickness: CalculationReport['wallThickness'] = null;
  if (bvh && request.wallThickness !== false) {
    const walls = measureWalls(mesh, bvh, { minimumMm: minimumWall }, deadline);
    wallThickness = {
      alloy: request.alloy,
      minimumAllowedMm: minimumWall,
      minMm: walls.minMm === null ? null : r(walls.minMm),
      p5Mm: walls.p5Mm === null ? null : r(walls.p5Mm),
      medianMm: walls.medianMm === null ? null : r(walls.medianMm),
      facesMeasured: walls.facesMeasured,
      facesBelowMinimum: walls.facesBelowMinimum,
      areaBelowMinimumMm2: r(walls.areaBelowMinimumMm2),
      thinSpots: walls.thinSpots,
    };
    if (walls.facesBelowMinimum > 0 && walls.minMm !== null) {
      // The area thinner than the hard limit decides between review and rejection (a few stray rays at sharp
      // edges must not reject a piece).
      let areaBelowHard = 0;
      for (let i = 0; i < walls.thickness.length; i++) {
        if ((walls.thickness[i] ?? Number.NaN) < rules.rejectBelowMm) areaBelowHard += walls.rayArea[i] ?? 0;
      }
      const hard = areaBelowHard >= rules.rejectMinAreaMm2;
      defects.push({
        kind: 'thin_wall',
        severity: hard ? 'error' : 'warning',
        count: walls.facesBelowMinimum,
        message: `Walls down to ${r(walls.minMm, 2)} mm over about ${r(walls.areaBelowMinimumMm2, 1)} mm²; ${ALLOYS[request.alloy].name} needs at least ${minimumWall} mm.`,
        locations: walls.thinSpots.map((t) => t.at),
      });
      if (hard) {
        reject(
          'wall_too_thin',
          `About ${r(areaBelowHard, 1)} mm² of the model is thinner than ${rules.rejectBelowMm} mm (down to ${r(walls.minMm, 2)} mm): it cannot be printed and cast.`,
        );
      } else {
        review(
          'wall_below_minimum',
          `Some walls are ${r(walls.minMm, 2)} mm thin; ${ALLOYS[request.alloy].name} needs ${minimumWall} mm. A caster must confirm.`,
        );
      }
    }
    if (walls.maxMm !== null && walls.maxMm > rules.reviewSolidOverMm) {
      review(
        'thick_section',
        `Solid sections up to ${r(walls.maxMm, 1)} mm thick: over ${rules.reviewSolidOverMm} mm, casting porosity and shrinkage need a review (or hollowing).`,
      );
    }
    lap('wall-thickness', 70);
  }

  let slicing: CalculationReport['slicing'] = null;
  let printTime: CalculationReport['printTime'] = null;
  let layerPngs: Uint8Array[] | undefined;
  let layers = 0;
  if (request.slicing !== false && topo.triangles > 0) {
    const h = request.layerHeightMm ?? 0.025;
    const sliced = sliceMesh(
      mesh,
      { layerHeightMm: h, edges: fixed.edges, maxSegments: limits.maxSliceSegments },
      deadline,
    );
    layers = sliced.layerCount;
    let maxArea = 0;
    let maxContours = 0;
    for (let k = 0; k < sliced.layerCount; k++) {
      maxArea = Math.max(maxArea, sliced.areas[k] ?? 0);
      maxContours = Math.max(maxContours, sliced.contours[k] ?? 0);
    }
    slicing = {
      layerHeightMm: h,
      layerCount: sliced.layerCount,
      volumeFromLayersMm3: r(sliced.volumeMm3),
      maxLayerAreaMm2: r(maxArea),
      maxContoursPerLayer: maxContours,
      layerAreasMm2: Array.from(sliced.areas, (a) => r(a, 4)),
    };
    const printer = request.printer ?? GENERIC_DLP_PROFILE;
    printTime = { printer: printer.name, seconds: Math.round(estimatePrintSeconds(layers, printer)), layers };
    lap('slicing', 85);
    if (request.layerImagePixelMm !== undefined && request.layerImagePixelMm > 0) {
      const { min, max } = metrics.bbox;
      const renderer = createLayerRenderer(sliced, {
        pixelMm: request.layerImagePixelMm,
        x0: min[0],
        y0: min[1],
        x1: max[0],
        y1: max[1],
        level: 1,
      });
      layerPngs = [];
      for (let k = 0; k < sliced.layerCount; k++) {
        layerPngs.push(renderer.render(k));
        if ((k & 63) === 0) deadline.check();
      }
      lap('layer-images', 90);
    }
  }

  const volume = Math.max(0, metrics.volumeMm3);
  const perAlloy = ALLOY_IDS.map((id) => {
    const net = gramsFor(volume, id);
    return {
      alloy: id,
      name: ALLOYS[id].name,
      densityGPerCm3: ALLOYS[id].densityGPerCm3,
      netGrams: r(net),
      withSprueGrams: r(net * (1 + rules.sprueAllowance)),
    };
  });
  const gramsPerPiece = gramsFor(volume, request.alloy) * (1 + rules.sprueAllowance);
  const pricing: QuoteInput = {
    alloy: request.alloy,
    quantity: request.quantity,
    gramsPerPiece,
    volumeMm3: volume,
    areaMm2: metrics.areaMm2,
    layers,
  };
  const q = quote(pricing, deps.priceBook, deps.now);
  lap('quote', 95);

  const thumbnailPng =
    request.thumbnail === false ? undefined : renderThumbnail(mesh, { size: request.thumbnailSize ?? 256 }, deadline);
  if (thumbnailPng) lap('thumbnail', 100);

  const report: CalculationReport = {
    schemaVersion: 1,
    engine: { ...ENGINE },
    generatedAt: deps.now.toISOString(),
    model: {
      format: parsed.format,
      bytes: input instanceof Uint8Array ? input.length : input.size,
      sourceUnit: parsed.sourceUnit,
      trianglesRead,
      triangles: topo.triangles,
      vertices: topo.vertices,
      notes: parsed.notes,
    },
    topology: {
      watertight: topo.watertight,
      orientable: topo.orientable,
      shells: topo.shells,
      boundaryEdges: topo.boundaryEdges,
      nonManifoldEdges: topo.nonManifoldEdges,
      selfIntersections,
      eulerCharacteristic: topo.eulerCharacteristic,
    },
    repairs: fixed.repairs,
    defects,
    metrics: {
      volumeMm3: r(metrics.volumeMm3),
      areaMm2: r(metrics.areaMm2),
      bbox: {
        min: metrics.bbox.min.map((v) => r(v, 4)) as [number, number, number],
        max: metrics.bbox.max.map((v) => r(v, 4)) as [number, number, number],
        size: metrics.bbox.size.map((v) => r(v, 4)) as [number, number, number],
      },
      centroid: metrics.centroid.map((v) => r(v, 4)) as [number, number, number],
    },
    weights: { sprueAllowance: rules.sprueAllowance, perAlloy },
    wallThickness,
    slicing,
    printTime,
    quote: q,
    verdict,
    reasons,
    timings,
  };
  const result: CalculationResult = { report, pricing };
  if (thumbnailPng) result.thumbnailPng = thumbnailPng;
  if (layerPngs) result.layerPngs = layerPngs;
  if (request.repairedModel && fixed.repairs.length > 0) result.repairedStl = toBinaryStl(mesh);
  return result;
};
