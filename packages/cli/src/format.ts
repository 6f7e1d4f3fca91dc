/** Human-readable rendering of a calculation report: aligned plain-text tables, no colours. */
import type { CalculationReport } from '@facet/contracts/report';

const pad = (s: string, n: number, right = false): string => (right ? s.padStart(n) : s.padEnd(n));

export const table = (rows: string[][], rightAlign: number[] = []): string => {
  const widths: number[] = [];
  for (const r of rows) {
    r.forEach((c, i) => {
      widths[i] = Math.max(widths[i] ?? 0, c.length);
    });
  }
  return rows
    .map((r) =>
      r
        .map((c, i) => pad(c, widths[i] ?? 0, rightAlign.includes(i)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
};

const money = (minor: number, currency: string): string => `${(minor / 100).toFixed(2)} ${currency}`;
const n = (v: number, d = 2): string =>
  v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const hms = (s: number): string => `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;

export const formatReport = (r: CalculationReport): string => {
  const out: string[] = [];
  const verdict = { accepted: 'ACCEPTED', review: 'NEEDS REVIEW', rejected: 'REJECTED' }[r.verdict];
  out.push(`Verdict: ${verdict}`);
  for (const reason of r.reasons) out.push(`  - ${reason.message}`);
  out.push('');
  const m = r.metrics;
  out.push(
    table([
      [
        'Model',
        `${r.model.format}, ${r.model.triangles.toLocaleString('en-US')} triangles, ${r.model.vertices.toLocaleString('en-US')} vertices`,
      ],
      ['Size', `${m.bbox.size.map((v) => n(v)).join(' × ')} mm`],
      ['Volume', `${n(m.volumeMm3)} mm³`],
      ['Surface', `${n(m.areaMm2)} mm²`],
      [
        'Watertight',
        `${r.topology.watertight ? 'yes' : 'no'} (${r.topology.shells} shell${r.topology.shells === 1 ? '' : 's'})`,
      ],
      ...(r.wallThickness
        ? [
            [
              'Min wall',
              `${r.wallThickness.minMm === null ? 'n/a' : `${n(r.wallThickness.minMm)} mm`} (required ${r.wallThickness.minimumAllowedMm} mm for ${r.wallThickness.alloy}; ${r.wallThickness.facesBelowMinimum} faces below)`,
            ],
          ]
        : []),
      ...(r.slicing && r.printTime
        ? [
            [
              'Print',
              `${r.slicing.layerCount} layers at ${r.slicing.layerHeightMm * 1000} µm, about ${hms(r.printTime.seconds)} (${r.printTime.printer})`,
            ],
          ]
        : []),
    ]),
  );
  if (r.repairs.length > 0 || r.defects.length > 0) {
    out.push('', 'Repairs and defects:');
    for (const x of r.repairs) out.push(`  repaired  ${x.message}`);
    for (const d of r.defects) {
      const at = d.locations[0] ? ` e.g. at (${d.locations[0].map((v) => n(v)).join(', ')})` : '';
      out.push(`  ${pad(d.severity, 8)}  ${d.message}${at}`);
    }
  }
  out.push('', 'Weight per alloy (incl. sprue allowance):');
  out.push(
    table(
      [
        ['alloy', 'density', 'net g', `+${Math.round(r.weights.sprueAllowance * 100)}% g`],
        ...r.weights.perAlloy.map((w) => [
          `${w.alloy}${w.alloy === r.quote.alloy ? ' *' : ''}`,
          n(w.densityGPerCm3),
          n(w.netGrams),
          n(w.withSprueGrams),
        ]),
      ],
      [1, 2, 3],
    ),
  );
  const q = r.quote;
  out.push(
    '',
    `Quote (${q.quantity} × ${q.alloy}, price book ${q.priceBookId}${q.demoPrices ? ' — DEMO PRICES, NOT FOR CUSTOMERS' : ''}):`,
  );
  out.push(
    table(
      [
        ...q.lines.map((l) => [l.code, l.description, money(l.amount, q.currency)]),
        ['', 'Total', money(q.total, q.currency)],
      ],
      [2],
    ),
  );
  out.push(`Valid until ${q.validUntil} (metal price of ${q.metalPriceAt}).`);
  out.push('');
  return `${out.join('\n')}\n`;
};
