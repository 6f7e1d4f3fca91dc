import type { BoardCard } from '@facet/contracts/operators';
import { describe, expect, it } from 'vitest';
import { filterCards, noFilters } from './filters.ts';

const NOW = Date.parse('2030-01-10T12:00:00Z');
const card = (over: Partial<BoardCard>): BoardCard =>
  ({
    orderId: 'ord_1',
    tenantId: 'ten_a',
    company: 'A',
    status: 'in_production',
    column: 'print',
    version: 3,
    since: '2030-01-09T00:00:00Z',
    alloy: 'au750y',
    quantity: 1,
    dueDate: '2030-01-20',
    overdue: false,
    atRisk: false,
    rush: false,
    hasThumbnail: false,
    lastChange: { at: '2030-01-09T00:00:00Z', what: 'started' },
    ...over,
  }) as BoardCard;

describe('board filters', () => {
  const cards = [
    card({ orderId: 'ord_a1', reference: 'PO-77 Signet' }),
    card({ orderId: 'ord_b2', tenantId: 'ten_b', alloy: 'ag925', dueDate: '2030-01-11', atRisk: true }),
    card({ orderId: 'ord_c3', dueDate: '2030-01-05', overdue: true }),
  ];
  const ids = (f: Partial<typeof noFilters>) => filterCards(cards, { ...noFilters, ...f }, NOW).map((c) => c.orderId);

  it('searches the id or the reference, case-insensitively', () => {
    expect(ids({ search: 'signet' })).toEqual(['ord_a1']);
    expect(ids({ search: 'B2' })).toEqual(['ord_b2']);
  });

  it('filters by company, alloy, due window and risk', () => {
    expect(ids({ company: 'ten_b' })).toEqual(['ord_b2']);
    expect(ids({ alloy: 'au750y' })).toEqual(['ord_a1', 'ord_c3']);
    expect(ids({ dueWithinDays: '2' })).toEqual(['ord_b2', 'ord_c3']);
    expect(ids({ atRiskOnly: true })).toEqual(['ord_b2', 'ord_c3']);
    expect(ids({})).toHaveLength(3);
  });
});
