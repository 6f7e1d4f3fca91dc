/**
 * The acceptance rules: from what the pipeline measured, the verdict (accepted, review, rejected), its reasons in a
 * customer's words, and the defects the rules add to the repair's (self-intersections, thin walls). One rejecting
 * reason rejects; otherwise one review reason sends the model to a caster.
 */
import type { CalculationReport } from '@facet/contracts/report';
import { ALLOYS, type AlloyId } from '@facet/domain/alloys';
import type { CastingRules } from '@facet/domain/casting-rules';
import type { IntersectionResult } from '@facet/geometry/intersect';
import type { Metrics } from '@facet/geometry/metrics';
import type { Defect, RepairResult } from '@facet/geometry/topology';
import type { WallResult } from '@facet/geometry/wall';
import type { PipelineResult } from './pipeline.ts';
import { round as r } from './round.ts';

type Reason = CalculationReport['reasons'][number];

export interface Finding extends Reason {
  /** `reject`: the model cannot be made; `review`: a caster must confirm. */
  outcome: 'reject' | 'review';
}

export interface Acceptance {
  verdict: CalculationReport['verdict'];
  reasons: Reason[];
  /** The repair's defects, then those the rules found. */
  defects: Defect[];
}

export const judge = (p: PipelineResult, alloy: AlloyId): Acceptance => {
  const findings: Finding[] = [...solidRules(p.repaired, p.metrics)];
  const defects = [...p.repaired.defects];
  if (p.selfIntersections) {
    const found = selfIntersectionRule(p.selfIntersections);
    defects.push(...found.defects);
    findings.push(...found.findings);
  }
  if (p.walls) {
    const found = wallRules(p.walls, alloy, p.minimumWallMm, p.rules);
    defects.push(...found.defects);
    findings.push(...found.findings);
  }
  return {
    verdict: verdictOf(findings),
    reasons: findings.map(({ code, message }) => ({ code, message })),
    defects,
  };
};

export const verdictOf = (findings: readonly Finding[]): CalculationReport['verdict'] => {
  if (findings.some((f) => f.outcome === 'reject')) return 'rejected';
  return findings.length > 0 ? 'review' : 'accepted';
};

const reject = (code: string, message: string): Finding => ({ code, message, outcome: 'reject' });
const review = (code: string, message: string): Finding => ({ code, message, outcome: 'review' });

/** A castable model is one closed, manifold, oriented solid with a volume; separate parts each need a sprue. */
export const solidRules = (repaired: RepairResult, metrics: Metrics): Finding[] => {
  const topo = repaired.topology;
  const findings: Finding[] = [];
  if (topo.boundaryEdges > 0) {
    findings.push(
      reject(
        'not_watertight',
        'The model has holes that are too large to close automatically; it must be a closed solid.',
      ),
    );
  }
  if (topo.nonManifoldEdges > 0) {
    findings.push(
      reject('non_manifold', 'Some edges are shared by more than two faces; the model is not a valid solid.'),
    );
  }
  if (!topo.orientable) {
    findings.push(reject('non_orientable', 'The surface cannot be oriented consistently (inside vs. outside).'));
  }
  if (!(metrics.volumeMm3 > 0)) findings.push(reject('no_volume', 'The model encloses no volume.'));
  if (topo.shells > 1 && repaired.defects.some((d) => d.kind === 'floating_shell')) {
    findings.push(
      review('floating_parts', 'The model consists of separate parts; each needs its own sprue or a connection.'),
    );
  }
  return findings;
};

interface RuleResult {
  findings: Finding[];
  defects: Defect[];
}

/** A surface that crosses itself overstates volume and weight: a caster looks at it. */
export const selfIntersectionRule = (found: IntersectionResult): RuleResult => {
  if (found.pairs === 0) return { findings: [], defects: [] };
  return {
    defects: [
      {
        kind: 'self_intersection',
        severity: 'warning',
        count: found.pairs,
        message: `${found.pairs} pairs of faces cross each other${found.complete ? '' : ' (check stopped early: at least this many)'}.`,
        locations: found.locations,
      },
    ],
    findings: [review('self_intersection', 'The surface crosses itself; the volume and weight may be overstated.')],
  };
};

/**
 * Walls under the alloy's minimum go to review; enough area under the hard limit rejects (a few stray rays at sharp
 * edges must not reject a piece). Very thick solid sections are reviewed for porosity and shrinkage.
 */
export const wallRules = (walls: WallResult, alloy: AlloyId, minimumWall: number, rules: CastingRules): RuleResult => {
  const findings: Finding[] = [];
  const defects: Defect[] = [];
  const metal = ALLOYS[alloy].name;
  if (walls.facesBelowMinimum > 0 && walls.minMm !== null) {
    let areaBelowHard = 0;
    for (let i = 0; i < walls.thickness.length; i++) {
      if ((walls.thickness[i] ?? Number.NaN) < rules.rejectBelowMm) areaBelowHard += walls.rayArea[i] ?? 0;
    }
    const hard = areaBelowHard >= rules.rejectMinAreaMm2;
    defects.push({
      kind: 'thin_wall',
      severity: hard ? 'error' : 'warning',
      count: walls.facesBelowMinimum,
      message: `Walls down to ${r(walls.minMm, 2)} mm over about ${r(walls.areaBelowMinimumMm2, 1)} mm²; ${metal} needs at least ${minimumWall} mm.`,
      locations: walls.thinSpots.map((t) => t.at),
    });
    findings.push(
      hard
        ? reject(
            'wall_too_thin',
            `About ${r(areaBelowHard, 1)} mm² of the model is thinner than ${rules.rejectBelowMm} mm (down to ${r(walls.minMm, 2)} mm): it cannot be printed and cast.`,
          )
        : review(
            'wall_below_minimum',
            `Some walls are ${r(walls.minMm, 2)} mm thin; ${metal} needs ${minimumWall} mm. A caster must confirm.`,
          ),
    );
  }
  if (walls.maxMm !== null && walls.maxMm > rules.reviewSolidOverMm) {
    findings.push(
      review(
        'thick_section',
        `Solid sections up to ${r(walls.maxMm, 1)} mm thick: over ${rules.reviewSolidOverMm} mm, casting porosity and shrinkage need a review (or hollowing).`,
      ),
    );
  }
  return { findings, defects };
};
