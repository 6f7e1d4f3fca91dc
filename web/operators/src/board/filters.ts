import type { BoardCard } from '@facet/contracts/operators';

export interface BoardFilters {
  readonly search: string;
  readonly company: string;
  readonly alloy: string;
  /** Due within this many days (empty: any). */
  readonly dueWithinDays: string;
  readonly atRiskOnly: boolean;
}

export const noFilters: BoardFilters = { search: '', company: '', alloy: '', dueWithinDays: '', atRiskOnly: false };

/** The cards the filters let through; search matches the order id or the reference, case-insensitively. */
export function filterCards(cards: readonly BoardCard[], f: BoardFilters, now = Date.now()): BoardCard[] {
  const needle = f.search.trim().toLowerCase();
  const days = f.dueWithinDays === '' ? undefined : Number(f.dueWithinDays);
  const dueBy = days === undefined || Number.isNaN(days) ? undefined : now + days * 86_400_000;
  return cards.filter(
    (c) =>
      (!needle || c.orderId.toLowerCase().includes(needle) || (c.reference ?? '').toLowerCase().includes(needle)) &&
      (!f.company || c.tenantId === f.company) &&
      (!f.alloy || c.alloy === f.alloy) &&
      (dueBy === undefined || Date.parse(`${c.dueDate}T23:59:59Z`) <= dueBy) &&
      (!f.atRiskOnly || c.atRisk || c.overdue),
  );
}
