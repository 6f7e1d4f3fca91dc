/**
 * The CalculationReport (schema version 1) from the pipeline's results and the acceptance verdict: figures rounded
 * for people, weights for every alloy, and the stage timings.
 */
import type { CalculationReport } from '@facet/contracts/report';
import { ALLOY_IDS, ALLOYS, type AlloyId, gramsFor } from '@facet/domain/alloys';
import type { CastingRules } from '@facet/domain/casting-rules';
import type { Metrics } from '@facet/geometry/metrics';
import type { SliceResult } from '@facet/geometry/slice';
import type { WallResult } from '@facet/geometry/wall';
import type { Acceptance } from './acceptance.ts';
import type { PipelineResult } from './pipeline.ts';
import { round as r } from './round.ts';

export const ENGINE = { name: 'facet-geometry', version: '0.1.0' } as const;

type Vec3 = [number, number, number];

export const buildReport = (
  p: PipelineResult,
  acceptance: Acceptance,
  alloy: AlloyId,
  now: Date,
): CalculationReport => {
  const topo = p.repaired.topology;
  const { selfIntersections } = p;
  return {
    schemaVersion: 1,
    engine: { ...ENGINE },
    generatedAt: now.toISOString(),
    model: {
      format: p.model.format,
      bytes: p.model.bytes,
      sourceUnit: p.model.sourceUnit,
      trianglesRead: p.model.trianglesRead,
      triangles: topo.triangles,
      vertices: topo.vertices,
      notes: p.model.notes,
    },
    topology: {
      watertight: topo.watertight,
      orientable: topo.orientable,
      shells: topo.shells,
      boundaryEdges: topo.boundaryEdges,
      nonManifoldEdges: topo.nonManifoldEdges,
      // null: not checked, or the check ran out of time before it was sure.
      selfIntersections: selfIntersections?.complete ? selfIntersections.pairs : null,
      eulerCharacteristic: topo.eulerCharacteristic,
    },
    repairs: p.repaired.repairs,
    defects: acceptance.defects,
    metrics: metricsSection(p.metrics),
    weights: { sprueAllowance: p.rules.sprueAllowance, perAlloy: weightsPerAlloy(p.metrics, p.rules) },
    wallThickness: p.walls ? wallSection(p.walls, alloy, p.minimumWallMm) : null,
    slicing: p.slices ? slicingSection(p.slices) : null,
    printTime: p.printTime,
    quote: p.quote,
    verdict: acceptance.verdict,
    reasons: acceptance.reasons,
    timings: p.timings,
  };
};

const metricsSection = (m: Metrics): CalculationReport['metrics'] => ({
  volumeMm3: r(m.volumeMm3),
  areaMm2: r(m.areaMm2),
  bbox: {
    min: m.bbox.min.map((v) => r(v, 4)) as Vec3,
    max: m.bbox.max.map((v) => r(v, 4)) as Vec3,
    size: m.bbox.size.map((v) => r(v, 4)) as Vec3,
  },
  centroid: m.centroid.map((v) => r(v, 4)) as Vec3,
});

/** The piece in every alloy, so a customer can compare metals without another calculation. */
const weightsPerAlloy = (m: Metrics, rules: CastingRules): CalculationReport['weights']['perAlloy'] => {
  const volume = Math.max(0, m.volumeMm3);
  return ALLOY_IDS.map((id) => {
    const net = gramsFor(volume, id);
    return {
      alloy: id,
      name: ALLOYS[id].name,
      densityGPerCm3: ALLOYS[id].densityGPerCm3,
      netGrams: r(net),
      withSprueGrams: r(net * (1 + rules.sprueAllowance)),
    };
  });
};

const roundOrNull = (v: number | null): number | null => (v === null ? null : r(v));

const wallSection = (
  walls: WallResult,
  alloy: AlloyId,
  minimumWall: number,
): NonNullable<CalculationReport['wallThickness']> => ({
  alloy,
  minimumAllowedMm: minimumWall,
  minMm: roundOrNull(walls.minMm),
  p5Mm: roundOrNull(walls.p5Mm),
  medianMm: roundOrNull(walls.medianMm),
  facesMeasured: walls.facesMeasured,
  facesBelowMinimum: walls.facesBelowMinimum,
  areaBelowMinimumMm2: r(walls.areaBelowMinimumMm2),
  thinSpots: walls.thinSpots,
});

const slicingSection = (s: SliceResult): NonNullable<CalculationReport['slicing']> => {
  let maxArea = 0;
  let maxContours = 0;
  for (let k = 0; k < s.layerCount; k++) {
    maxArea = Math.max(maxArea, s.areas[k] ?? 0);
    maxContours = Math.max(maxContours, s.contours[k] ?? 0);
  }
  return {
    layerHeightMm: s.layerHeightMm,
    layerCount: s.layerCount,
    volumeFromLayersMm3: r(s.volumeMm3),
    maxLayerAreaMm2: r(maxArea),
    maxContoursPerLayer: maxContours,
    layerAreasMm2: Array.from(s.areas, (a) => r(a, 4)),
  };
};
