/**
 * Casting rules for printed castable models: minimum wall per metal family, the point below which a model is
 * rejected outright, and the sprue allowance. Configurable: pass your own `CastingRules`; the defaults carry
 * their sources (see docs/JEWELRY.md).
 */
import { ALLOYS, type AlloyId, type MetalFamily } from './alloys.ts';

export interface CastingRules {
  /** Minimum wall thickness (mm) per metal family; below it the order goes to manual review. */
  minWallMm: Record<MetalFamily, number>;
  /** Below this wall thickness (mm) the model cannot be printed and cast at all… */
  rejectBelowMm: number;
  /** …when at least this much surface (mm²) is that thin (a few stray rays at sharp edges do not reject). */
  rejectMinAreaMm2: number;
  /** Extra metal for the sprue/gate, as a fraction of the net weight. */
  sprueAllowance: number;
  /** Solid sections thicker than this (mm) deserve a review (porosity, shrinkage). */
  reviewSolidOverMm: number;
}

export const DEFAULT_CASTING_RULES: Readonly<CastingRules> = Object.freeze({
  minWallMm: {
    // 0.6 mm in gold: hmsmanufacturing.com rule of thumb (Gildform publishes a more conservative 1 mm).
    gold: 0.6,
    // 0.8 mm in silver: hmsmanufacturing.com rule of thumb.
    silver: 0.8,
    // ASSUMPTION: no platinum/palladium figure in our sources; we use the 0.8 mm general surface minimum
    // from gemwares.com (platinum is viscous when cast, so not the thinner gold figure).
    platinum: 0.8,
    palladium: 0.8,
    // ASSUMPTION: brass/bronze treated like silver (0.8 mm, gemwares.com surface minimum).
    base: 0.8,
  },
  // 0.3 mm: the thinnest filigree wire castable wax holds (Formlabs casting guide); thinner cannot be printed.
  rejectBelowMm: 0.3,
  // ASSUMPTION: 0.5 mm² ≈ a 0.7 × 0.7 mm patch, larger than any sharp-edge artefact of the ray method.
  rejectMinAreaMm2: 0.5,
  // 10 %: upper end of the 8–10 % sprue allowance (JEWELRY.md "Pricing components").
  sprueAllowance: 0.1,
  // 4 mm: saqlainbullion.com — solid sections over 4 mm deserve review.
  reviewSolidOverMm: 4,
});

export const minWallFor = (alloy: AlloyId, rules: CastingRules = DEFAULT_CASTING_RULES): number =>
  rules.minWallMm[ALLOYS[alloy].family];
