import { describe, expect, it } from 'vitest';
import { ALLOY_IDS, ALLOYS, gramsFor, parseAlloyId } from './alloys.ts';
import { DEFAULT_CASTING_RULES, minWallFor } from './casting-rules.ts';

describe('alloys', () => {
  it('has a sourced, plausible density for every alloy', () => {
    for (const id of ALLOY_IDS) {
      const a = ALLOYS[id];
      expect(a.id).toBe(id);
      expect(a.densityGPerCm3).toBeGreaterThan(8);
      expect(a.densityGPerCm3).toBeLessThan(22);
      expect(a.densitySource.length).toBeGreaterThan(3);
    }
  });

  it('weighs 1 cm³ of 18K yellow gold at 15.58 g', () => {
    expect(gramsFor(1000, 'au750y')).toBeCloseTo(15.58, 6);
  });

  it('accepts operator spellings', () => {
    expect(parseAlloyId('au750')).toBe('au750y');
    expect(parseAlloyId('AG925')).toBe('ag925');
    expect(parseAlloyId('unobtainium')).toBeUndefined();
  });
});

describe('casting rules', () => {
  it('asks for 0.6 mm in gold and 0.8 mm in silver by default', () => {
    expect(minWallFor('au585w')).toBe(0.6);
    expect(minWallFor('ag925')).toBe(0.8);
  });

  it('are configurable', () => {
    const rules = { ...DEFAULT_CASTING_RULES, minWallMm: { ...DEFAULT_CASTING_RULES.minWallMm, gold: 1 } };
    expect(minWallFor('au750y', rules)).toBe(1);
  });
});
