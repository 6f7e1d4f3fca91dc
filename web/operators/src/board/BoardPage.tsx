import type { BoardCard } from '@facet/contracts/operators';
import { useMemo, useState } from 'react';
import type { Api } from '../api.ts';
import { ALLOY_NAMES, since } from '../format.ts';
import { Column } from './Column.tsx';
import { type BoardFilters, filterCards, noFilters } from './filters.ts';
import { TableView } from './TableView.tsx';
import type { Thumbnails } from './thumbnails.ts';
import { useBoard } from './use-board.ts';

/** The first page: every open order, by column, refreshing itself. */
export function BoardPage({ api, thumbnails }: { api: Api; thumbnails: Thumbnails }) {
  const { board, error, checkedAt, refresh } = useBoard(api);
  const [filters, setFilters] = useState<BoardFilters>(noFilters);
  const [view, setView] = useState<'columns' | 'table'>('columns');
  const set = (patch: Partial<BoardFilters>) => setFilters((f) => ({ ...f, ...patch }));

  // Most urgent first, in the columns and in the table (the API's order is its own).
  const cards = useMemo(() => (board ? filterCards(board.cards, filters).sort(byUrgency) : []), [board, filters]);
  const byColumn = useMemo(() => {
    const groups = new Map<string, typeof cards>();
    for (const card of cards) {
      const list = groups.get(card.column);
      if (list) list.push(card);
      else groups.set(card.column, [card]);
    }
    return groups;
  }, [cards]);
  const companies = useMemo(() => {
    const names = new Map<string, string>();
    for (const c of board?.cards ?? []) names.set(c.tenantId, c.company);
    return [...names].sort((a, b) => a[1].localeCompare(b[1]));
  }, [board]);
  const latest = useMemo(
    () =>
      board?.cards.reduce<(typeof cards)[number] | undefined>(
        (l, c) => (!l || c.lastChange.at > l.lastChange.at ? c : l),
        undefined,
      ),
    [board],
  );

  if (!board)
    return <div className="loading">{error ? `The board is not reachable: ${error}` : 'Loading the board …'}</div>;
  const label = (id: string) => board.columns.find((c) => c.id === id)?.label ?? id;
  return (
    <div className="board-page">
      <div className="toolbar">
        <input
          type="search"
          placeholder="Search id or reference"
          aria-label="Search"
          value={filters.search}
          onChange={(e) => set({ search: e.target.value })}
        />
        <select aria-label="Company" value={filters.company} onChange={(e) => set({ company: e.target.value })}>
          <option value="">All companies</option>
          {companies.map(([id, name]) => (
            <option key={id} value={id}>
              {name}
            </option>
          ))}
        </select>
        <select aria-label="Alloy" value={filters.alloy} onChange={(e) => set({ alloy: e.target.value })}>
          <option value="">All alloys</option>
          {Object.entries(ALLOY_NAMES).map(([id, name]) => (
            <option key={id} value={id}>
              {name}
            </option>
          ))}
        </select>
        <label>
          Due within
          <input
            type="number"
            min={0}
            aria-label="Due within days"
            value={filters.dueWithinDays}
            onChange={(e) => set({ dueWithinDays: e.target.value })}
          />
          days
        </label>
        <label>
          <input type="checkbox" checked={filters.atRiskOnly} onChange={(e) => set({ atRiskOnly: e.target.checked })} />
          At risk only
        </label>
        <fieldset className="view-toggle" aria-label="View">
          <button type="button" aria-pressed={view === 'columns'} onClick={() => setView('columns')}>
            Board
          </button>
          <button type="button" aria-pressed={view === 'table'} onClick={() => setView('table')}>
            Table
          </button>
        </fieldset>
        <span className="status-line" data-testid="board-status">
          {cards.length} of {board.cards.length} orders
          {latest
            ? ` · last change: ${latest.lastChange.what} (${latest.reference ?? latest.orderId})${latest.lastChange.by?.email ? ` by ${latest.lastChange.by.email}` : ''}, ${since(latest.lastChange.at)} ago`
            : ''}
          {error ? ` · not refreshing: ${error}` : checkedAt ? ' · live' : ''}
        </span>
      </div>
      {view === 'columns' ? (
        <div className="columns" data-testid="board">
          {board.columns.map((column) => (
            <Column
              key={column.id}
              id={column.id}
              label={column.label}
              cards={byColumn.get(column.id) ?? []}
              thumbnails={thumbnails}
            />
          ))}
        </div>
      ) : (
        <TableView cards={cards} columnLabel={label} api={api} onDone={refresh} />
      )}
    </div>
  );
}

/** Overdue first, then at risk, then by due date. */
function byUrgency(a: BoardCard, b: BoardCard): number {
  return (
    Number(b.overdue) - Number(a.overdue) || Number(b.atRisk) - Number(a.atRisk) || a.dueDate.localeCompare(b.dueDate)
  );
}
