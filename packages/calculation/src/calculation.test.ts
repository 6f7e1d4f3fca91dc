import { calculationReportSchema } from '@facet/contracts/report';
import { demoPriceBook } from '@facet/domain/pricing';
import { box, computeMetrics, ringBand, sphere, toBinaryStl, toObj, torus } from '@facet/geometry';
import { ModelError } from '@facet/geometry/errors';
import { describe, expect, it } from 'vitest';
import { runCalculation } from './calculation.ts';

const now = new Date('2026-11-23T12:00:00Z');
const deps = { priceBook: demoPriceBook(now), now };

describe('runCalculation', () => {
  it('turns a ring into a schema-valid, accepted report with weights and a quote', () => {
    // Prepare: a torus ring, R = 9 mm, tube r = 1.2 mm.
    const bytes = toBinaryStl(torus(9, 1.2, 256, 48));
    const stages: string[] = [];
    // Act
    const { report } = runCalculation(
      bytes,
      { alloy: 'au750y', quantity: 1 },
      { ...deps, onProgress: (s) => stages.push(s) },
    );
    // Assess
    expect(() => calculationReportSchema.parse(report)).not.toThrow();
    expect(report.schemaVersion).toBe(1);
    expect(report.verdict).toBe('accepted');
    const exact = 2 * Math.PI ** 2 * 9 * 1.2 ** 2;
    expect(report.metrics.volumeMm3).toBeGreaterThan(exact * 0.98);
    expect(report.metrics.volumeMm3).toBeLessThan(exact * 1.001);
    const gold = report.weights.perAlloy.find((w) => w.alloy === 'au750y');
    expect(gold?.netGrams).toBeCloseTo((report.metrics.volumeMm3 / 1000) * 15.58, 2);
    expect(gold?.withSprueGrams).toBeCloseTo((gold?.netGrams ?? 0) * 1.1, 2);
    expect(report.weights.perAlloy).toHaveLength(13);
    expect(report.quote.total).toBe(report.quote.lines.reduce((s, l) => s + l.amount, 0));
    expect(stages).toContain('parse');
  });

  it('rejects an open model with a readable reason instead of throwing', () => {
    // Prepare: a cube missing two faces on one side (a hole too large to fill is simulated by maxHoleEdges 0).
    const cube = box(10, 10, 10);
    const open = { positions: cube.positions, indices: cube.indices.slice(0, 30) };
    // Act
    const { report } = runCalculation(
      toObj(open),
      { alloy: 'ag925', quantity: 1 },
      { ...deps, repair: { maxHoleEdges: 0 } },
    );
    // Assess
    expect(report.verdict).toBe('rejected');
    expect(report.reasons.map((r) => r.code)).toContain('not_watertight');
    expect(report.defects.find((d) => d.kind === 'boundary_edge')?.locations.length).toBeGreaterThan(0);
  });

  it('closes a small hole and accepts the model', () => {
    // Prepare: a sphere with one small triangle missing.
    const s = sphere(5, 64, 32);
    const open = { positions: s.positions, indices: s.indices.slice(3) };
    // Act
    const { report } = runCalculation(toObj(open), { alloy: 'ag925', quantity: 1 }, deps);
    // Assess
    expect(report.repairs.map((r) => r.kind)).toContain('filled_holes');
    expect(report.topology.watertight).toBe(true);
    // A 10 mm solid ball is a thick section: cast, but reviewed.
    expect(report.reasons.map((r) => r.code)).toEqual(['thick_section']);
    expect(report.metrics.volumeMm3).toBeCloseTo(computeMetrics(s).volumeMm3, 3);
  });

  it('throws a ModelError for unreadable input', () => {
    expect(() => runCalculation(new Uint8Array(0), { alloy: 'au750y', quantity: 1 }, deps)).toThrow(ModelError);
  });

  it('sends a ring whose shank thins to 0.35 mm to review, locating the thin spot', () => {
    // Prepare
    const ring = ringBand(8.5, 2, 720, (u) => 0.35 + 1.2 * (0.5 - 0.5 * Math.cos(2 * Math.PI * u)));
    // Act
    const { report } = runCalculation(toBinaryStl(ring), { alloy: 'au750y', quantity: 1 }, deps);
    // Assess
    expect(report.verdict).toBe('review');
    expect(report.reasons.map((r) => r.code)).toContain('wall_below_minimum');
    expect(Math.abs((report.wallThickness?.minMm ?? 0) - 0.35) / 0.35).toBeLessThan(0.15);
    expect(report.defects.find((d) => d.kind === 'thin_wall')?.locations[0]?.[0]).toBeGreaterThan(8);
  });

  it('rejects a band far too thin to cast', () => {
    // Prepare: 0.15 mm all round.
    const band = ringBand(8.5, 2, 360, () => 0.15);
    // Act
    const { report } = runCalculation(toBinaryStl(band), { alloy: 'ag925', quantity: 1 }, deps);
    // Assess
    expect(report.verdict).toBe('rejected');
    expect(report.reasons.map((r) => r.code)).toContain('wall_too_thin');
  });

  it('slices at the requested layer height and prices the machine time', () => {
    // Act
    const { report, thumbnailPng } = runCalculation(
      toBinaryStl(torus(9, 1, 128, 32)),
      { alloy: 'au585r', quantity: 3, layerHeightMm: 0.05 },
      deps,
    );
    // Assess
    expect(report.slicing?.layerCount).toBe(40);
    expect(
      Math.abs((report.slicing?.volumeFromLayersMm3 ?? 0) - report.metrics.volumeMm3) / report.metrics.volumeMm3,
    ).toBeLessThan(0.005);
    expect(report.printTime?.seconds).toBeGreaterThan(0);
    expect(report.quote.lines.some((l) => l.unit === 'layer' && l.quantity === 40)).toBe(true);
    expect(thumbnailPng?.length).toBeGreaterThan(100);
  });
});
