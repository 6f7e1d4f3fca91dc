import { ALLOY_IDS } from '@facet/domain/alloys';
import { describe, expect, it } from 'vitest';
import { thumbnailColor } from './thumbnail-color.ts';

describe('thumbnailColor', () => {
  it('tells yellow, white and rose gold, silver and platinum apart', () => {
    // Prepare
    const alloys = ['au750y', 'au750w', 'au750r', 'ag925', 'pt950'] as const;
    // Act
    const colors = alloys.map((a) => thumbnailColor(a).join(','));
    // Assess
    expect(new Set(colors).size).toBe(alloys.length);
  });

  it('gives rose gold more red over green than yellow gold, and white gold little saturation', () => {
    // Prepare / Act
    const [yr, yg] = thumbnailColor('au750y');
    const [rr, rg] = thumbnailColor('au585r');
    const white = thumbnailColor('au375w');
    // Assess
    expect(rr - rg).toBeGreaterThan(yr - yg);
    expect(Math.max(...white) - Math.min(...white)).toBeLessThan(20);
  });

  it('has a colour of 0–255 channels for every alloy of the API', () => {
    for (const alloy of ALLOY_IDS) {
      const rgb = thumbnailColor(alloy);
      expect(rgb).toHaveLength(3);
      for (const c of rgb) expect(c >= 0 && c <= 255).toBe(true);
    }
  });
});
