/**
 * Casting alloys and their densities (g/cm³). Every constant names its source (see docs/JEWELRY.md, collected
 * from public trade sources); estimates and assumptions say so. Weight = volume × density: 1 cm³ = 1000 mm³.
 */

import { ALLOY_IDS } from '@facet/contracts/api';

/** The ids are part of the API contract (an enum in the OpenAPI document); their data lives here. */
export { ALLOY_IDS };

export type AlloyId = (typeof ALLOY_IDS)[number];
export type MetalFamily = 'gold' | 'silver' | 'platinum' | 'palladium' | 'base';

export interface Alloy {
  id: AlloyId;
  name: string;
  family: MetalFamily;
  /** Fineness in parts per thousand of the precious metal (0 for base metals). */
  fineness: number;
  densityGPerCm3: number;
  /** Where the density comes from; "estimate"/"assumption" when not a published figure. */
  densitySource: string;
}

export const ALLOYS: Readonly<Record<AlloyId, Alloy>> = Object.freeze({
  // 9K white/yellow: diamondsbyme.com density table (9ct yellow 11.1, white 10.7).
  au375y: {
    id: 'au375y',
    name: '9K yellow gold (375)',
    family: 'gold',
    fineness: 375,
    densityGPerCm3: 11.1,
    densitySource: 'diamondsbyme.com',
  },
  au375w: {
    id: 'au375w',
    name: '9K white gold (375)',
    family: 'gold',
    fineness: 375,
    densityGPerCm3: 10.7,
    densitySource: 'diamondsbyme.com',
  },
  // 14K yellow/white/red: Stuller metal density chart (13.07, 12.61, 13.26).
  au585y: {
    id: 'au585y',
    name: '14K yellow gold (585)',
    family: 'gold',
    fineness: 585,
    densityGPerCm3: 13.07,
    densitySource: 'Stuller',
  },
  au585w: {
    id: 'au585w',
    name: '14K white gold (585)',
    family: 'gold',
    fineness: 585,
    densityGPerCm3: 12.61,
    densitySource: 'Stuller',
  },
  au585r: {
    id: 'au585r',
    name: '14K red gold (585)',
    family: 'gold',
    fineness: 585,
    densityGPerCm3: 13.26,
    densitySource: 'Stuller',
  },
  // 18K yellow/white/red: Stuller metal density chart (15.58, 14.64, 15.18).
  au750y: {
    id: 'au750y',
    name: '18K yellow gold (750)',
    family: 'gold',
    fineness: 750,
    densityGPerCm3: 15.58,
    densitySource: 'Stuller',
  },
  au750w: {
    id: 'au750w',
    name: '18K white gold (750)',
    family: 'gold',
    fineness: 750,
    densityGPerCm3: 14.64,
    densitySource: 'Stuller',
  },
  au750r: {
    id: 'au750r',
    name: '18K red gold (750)',
    family: 'gold',
    fineness: 750,
    densityGPerCm3: 15.18,
    densitySource: 'Stuller',
  },
  // Sterling silver 925: Stuller (10.40).
  ag925: {
    id: 'ag925',
    name: 'Sterling silver (925)',
    family: 'silver',
    fineness: 925,
    densityGPerCm3: 10.4,
    densitySource: 'Stuller',
  },
  // Pt950 ≈ 20.1: estimate = designbuildcast.co.uk wax→metal multiplier 21.21 × wax SG 0.95 (no direct figure).
  pt950: {
    id: 'pt950',
    name: 'Platinum 950',
    family: 'platinum',
    fineness: 950,
    densityGPerCm3: 20.1,
    densitySource: 'estimate: designbuildcast.co.uk multiplier 21.21 × wax SG 0.95',
  },
  // Pd950 ≈ 11.4: estimate = designbuildcast.co.uk wax→metal multiplier 12.0 × wax SG 0.95.
  pd950: {
    id: 'pd950',
    name: 'Palladium 950',
    family: 'palladium',
    fineness: 950,
    densityGPerCm3: 11.4,
    densitySource: 'estimate: designbuildcast.co.uk multiplier 12.0 × wax SG 0.95',
  },
  // Brass: Stuller (8.40).
  brass: { id: 'brass', name: 'Brass', family: 'base', fineness: 0, densityGPerCm3: 8.4, densitySource: 'Stuller' },
  // Bronze: ASSUMPTION, no primary source found; mid-point of the 8.7–8.9 range commonly quoted.
  bronze: {
    id: 'bronze',
    name: 'Bronze',
    family: 'base',
    fineness: 0,
    densityGPerCm3: 8.8,
    densitySource: 'assumption (8.7–8.9 commonly quoted; no primary source)',
  },
});

export const isAlloyId = (s: string): s is AlloyId => (ALLOY_IDS as readonly string[]).includes(s);

/** Accepts the ids above plus a few spellings operators use: `au750` (yellow), `18k`, `925`, `pt`, `sterling`. */
export const parseAlloyId = (s: string): AlloyId | undefined => {
  const k = s.trim().toLowerCase();
  if (isAlloyId(k)) return k;
  const aliases: Record<string, AlloyId> = {
    au375: 'au375y',
    '9k': 'au375y',
    au585: 'au585y',
    '14k': 'au585y',
    au750: 'au750y',
    '18k': 'au750y',
    '925': 'ag925',
    sterling: 'ag925',
    silver: 'ag925',
    pt: 'pt950',
    platinum: 'pt950',
    pd: 'pd950',
    palladium: 'pd950',
  };
  return aliases[k];
};

/** Grams of metal for a volume in mm³. */
export const gramsFor = (volumeMm3: number, alloy: AlloyId): number =>
  (volumeMm3 / 1000) * ALLOYS[alloy].densityGPerCm3;
