import { writeFileSync } from 'node:fs';
import { calculationReportSchema } from '@facet/contracts/report';
import { runCalculation } from '@facet/domain/calculation';
import { demoPriceBook } from '@facet/domain/pricing';
import { box, ringBand, sphere, toBinaryStl, torus } from '@facet/geometry';

const now = new Date();
for (const [name, m] of [
  ['box', box(10, 20, 30)],
  ['sphere', sphere(10, 128, 64)],
  ['torus', torus(10, 2, 512, 128)],
  ['torus1M', torus(10, 2, 2048, 256)],
  ['thin', ringBand(8.5, 2, 720, (u) => 0.35 + (1.2 * (1 - Math.cos(2 * Math.PI * u))) / 2)],
] as const) {
  const bytes = toBinaryStl(m);
  const t = performance.now();
  const res = runCalculation(bytes, { alloy: 'au750y', quantity: 1 }, { priceBook: demoPriceBook(now), now });
  const report = res.report;
  calculationReportSchema.parse(report);
  console.log(
    name,
    report.model.triangles,
    'vol',
    report.metrics.volumeMm3,
    'slicedVol',
    report.slicing?.volumeFromLayersMm3,
    'layers',
    report.slicing?.layerCount,
    'contours',
    report.slicing?.maxContoursPerLayer,
    'wall',
    report.wallThickness?.minMm,
    report.wallThickness?.medianMm,
    'si',
    report.topology.selfIntersections,
    report.verdict,
    JSON.stringify(report.reasons.map((r) => r.code)),
    'ms',
    (performance.now() - t).toFixed(0),
  );
  console.log('  ', JSON.stringify(report.timings));
  if (res.thumbnailPng) writeFileSync(`/tmp/thumb-${name}.png`, res.thumbnailPng);
}
