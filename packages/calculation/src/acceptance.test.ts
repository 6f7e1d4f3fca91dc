import { DEFAULT_CASTING_RULES } from '@facet/domain/casting-rules';
import type { WallResult } from '@facet/geometry/wall';
import { describe, expect, it } from 'vitest';
import { selfIntersectionRule, verdictOf, wallRules } from './acceptance.ts';

/** Rays of 0.1 mm² each; `thin` of them measure 0.2 mm (under the 0.3 mm hard limit), the rest 1 mm. */
const walls = (rays: number, thin: number, maxMm = 1): WallResult => {
  const thickness = Float32Array.from({ length: rays }, (_, i) => (i < thin ? 0.2 : 1));
  return {
    thickness,
    faces: Uint32Array.from({ length: rays }, (_, i) => i),
    rayArea: new Float32Array(rays).fill(0.1),
    maxMm,
    minMm: thin > 0 ? 0.2 : 1,
    p5Mm: null,
    medianMm: 1,
    facesMeasured: rays,
    facesBelowMinimum: thin,
    areaBelowMinimumMm2: thin * 0.1,
    thinSpots: thin > 0 ? [{ at: [1, 2, 3], thicknessMm: 0.2 }] : [],
  };
};

describe('acceptance rules', () => {
  it('sends a few stray thin rays to review, but rejects when enough area is under the hard limit', () => {
    // Prepare: 0.3 mm² thin (under the 0.5 mm² that rejects), then 0.8 mm².
    const stray = walls(100, 3);
    const wide = walls(100, 8);
    // Act
    const reviewed = wallRules(stray, 'au750y', 0.6, DEFAULT_CASTING_RULES);
    const rejected = wallRules(wide, 'au750y', 0.6, DEFAULT_CASTING_RULES);
    // Assess
    expect(reviewed.findings.map((f) => [f.code, f.outcome])).toEqual([['wall_below_minimum', 'review']]);
    expect(reviewed.defects[0]).toMatchObject({ kind: 'thin_wall', severity: 'warning', locations: [[1, 2, 3]] });
    expect(rejected.findings.map((f) => [f.code, f.outcome])).toEqual([['wall_too_thin', 'reject']]);
    expect(rejected.defects[0]?.severity).toBe('error');
  });

  it('reviews solid sections thicker than the casting rules allow', () => {
    // Act
    const { findings, defects } = wallRules(walls(10, 0, 4.5), 'ag925', 0.8, DEFAULT_CASTING_RULES);
    // Assess
    expect(findings.map((f) => f.code)).toEqual(['thick_section']);
    expect(defects).toEqual([]);
  });

  it('says when the self-intersection check stopped early', () => {
    // Act
    const { findings, defects } = selfIntersectionRule({ pairs: 7, complete: false, locations: [] });
    // Assess
    expect(findings.map((f) => f.outcome)).toEqual(['review']);
    expect(defects[0]?.message).toBe('7 pairs of faces cross each other (check stopped early: at least this many).');
    expect(selfIntersectionRule({ pairs: 0, complete: true, locations: [] }).findings).toEqual([]);
  });

  it('lets one rejecting reason outweigh any number of reviews', () => {
    // Prepare
    const reviewOnly = [{ code: 'a', message: 'a', outcome: 'review' as const }];
    // Act / Assess
    expect(verdictOf([])).toBe('accepted');
    expect(verdictOf(reviewOnly)).toBe('review');
    expect(verdictOf([...reviewOnly, { code: 'b', message: 'b', outcome: 'reject' }, ...reviewOnly])).toBe('rejected');
  });
});
