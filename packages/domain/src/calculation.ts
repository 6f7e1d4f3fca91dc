/**
 * The calculation: bytes in, a complete report (and a thumbnail) out. Synchronous and CPU-only, so the worker and
 * the CLI call the same function. Model errors (unreadable input) throw `ModelError`; models that read fine but
 * cannot be manufactured come back as a report with `verdict: 'rejected'` and readable reasons.
 */
import type { CalculationReport } from '@facet/contracts/report';
import { Deadline, type Limits, resolveLimits } from '@facet/geometry/errors';
import { computeMetrics } from '@facet/geometry/metrics';
import { parseModel } from '@facet/geometry/parse';
import { DEFAULT_REPAIR_OPTIONS, type RepairOptions, repairMesh } from '@facet/geometry/topology';
import { weld } from '@facet/geometry/weld';
import { ALLOY_IDS, ALLOYS, type AlloyId, gramsFor } from './alloys.ts';
import { type CastingRules, DEFAULT_CASTING_RULES } from './casting-rules.ts';
import { type PriceBook, quote } from './pricing.ts';

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
  /** Thumbnail edge in pixels (default 256). */
  thumbnailSize?: number;
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
  thumbnailPng?: Uint8Array;
}

const r = (v: number, digits = 3): number => {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};

export const runCalculation = (
  bytes: Uint8Array,
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

  const parsed = parseModel(bytes, { limits, deadline });
  const trianglesRead = parsed.indices.length / 3;
  lap('parse', 15);

  const welded = weld(parsed, request.weldToleranceMm ?? 1e-4, deadline);
  lap('weld', 25);

  const fixed = repairMesh(welded, { ...DEFAULT_REPAIR_OPTIONS, ...deps.repair }, deadline);
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
  const layers = 0;
  const q = quote(
    {
      alloy: request.alloy,
      quantity: request.quantity,
      gramsPerPiece,
      volumeMm3: volume,
      areaMm2: metrics.areaMm2,
      layers,
    },
    deps.priceBook,
    deps.now,
  );
  lap('quote', 100);

  const report: CalculationReport = {
    schemaVersion: 1,
    engine: { ...ENGINE },
    generatedAt: deps.now.toISOString(),
    model: {
      format: parsed.format,
      bytes: bytes.length,
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
      selfIntersections: null,
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
    wallThickness: null,
    slicing: null,
    printTime: null,
    quote: q,
    verdict,
    reasons,
    timings,
  };
  return { report };
};
