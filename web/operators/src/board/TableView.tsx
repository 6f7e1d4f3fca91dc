import type { BoardCard } from '@facet/contracts/operators';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef, useState } from 'react';
import { type Api, describeError } from '../api.ts';
import { ALLOY_NAMES, since } from '../format.ts';
import { Link } from '../router.tsx';

const ROW = 36;
const MAX_BULK = 100;

interface BulkResult {
  orderId: string;
  ok: boolean;
  problem?: string;
}

/** The board as a table, for bulk work: select orders, start or advance them together (each its own transition). */
export function TableView(props: {
  cards: readonly BoardCard[];
  columnLabel: (id: string) => string;
  api: Api;
  onDone: () => void;
}) {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [results, setResults] = useState<BulkResult[]>();
  // The results name the orders as the operator knows them (the board may have moved on since).
  const [names, setNames] = useState<ReadonlyMap<string, string>>(new Map());
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const scroller = useRef<HTMLDivElement>(null);
  const rows = useVirtualizer({
    count: props.cards.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW,
    overscan: 10,
  });
  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else if (next.size < MAX_BULK) next.add(id);
      return next;
    });
  const run = async (type: 'start' | 'advance') => {
    setBusy(true);
    setError(undefined);
    try {
      const picked = props.cards.filter((c) => selected.has(c.orderId));
      const orders = picked.map((c) => ({ orderId: c.orderId, expectedVersion: c.version }));
      const answer = await props.api.post<{ results: BulkResult[] }>('/ops/actions', { action: { type }, orders });
      setNames(new Map(picked.map((c) => [c.orderId, c.reference ?? c.orderId])));
      setResults(answer.results);
      setSelected(new Set());
      props.onDone();
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };
  const moved = results?.filter((r) => r.ok).length ?? 0;
  return (
    <div className="table-view">
      <div className="bulk-bar">
        <span data-testid="selected-count">{selected.size} selected</span>
        <button
          type="button"
          onClick={() => setSelected(new Set(props.cards.slice(0, MAX_BULK).map((c) => c.orderId)))}
        >
          Select first {Math.min(MAX_BULK, props.cards.length)}
        </button>
        <button type="button" onClick={() => setSelected(new Set())}>
          Clear
        </button>
        <button type="button" disabled={busy || selected.size === 0} onClick={() => void run('start')}>
          Start production
        </button>
        <button type="button" disabled={busy || selected.size === 0} onClick={() => void run('advance')}>
          Advance to next stage
        </button>
        {results ? (
          <span className="bulk-result" data-testid="bulk-result">
            {moved} of {results.length} moved
          </span>
        ) : null}
        {error ? <span className="error">{error}</span> : null}
      </div>
      {results?.some((r) => !r.ok) ? (
        <ul className="bulk-results" aria-label="Orders not moved">
          {results
            .filter((r) => !r.ok)
            .map((r) => (
              <li key={r.orderId} data-testid="bulk-refused">
                <Link to={`/orders/${r.orderId}`}>{names.get(r.orderId) ?? r.orderId}</Link>: {r.problem ?? 'refused'}
              </li>
            ))}
          <li>
            <button type="button" onClick={() => setResults(undefined)}>
              Dismiss
            </button>
          </li>
        </ul>
      ) : null}
      <div className="table-head row">
        <span />
        <span>Order</span>
        <span>Company</span>
        <span>Column</span>
        <span>Alloy</span>
        <span>Qty</span>
        <span>Due</span>
        <span>In column</span>
      </div>
      <div className="table-body" ref={scroller}>
        <div style={{ height: rows.getTotalSize(), position: 'relative' }}>
          {rows.getVirtualItems().map((row) => {
            const c = props.cards[row.index];
            if (!c) return null;
            return (
              <div
                key={c.orderId}
                className={`row ${c.overdue ? 'overdue' : c.atRisk ? 'at-risk' : ''}`}
                style={{ transform: `translateY(${row.start}px)`, height: ROW }}
                data-testid="table-row"
              >
                <input
                  type="checkbox"
                  aria-label={`select ${c.reference ?? c.orderId}`}
                  checked={selected.has(c.orderId)}
                  onChange={() => toggle(c.orderId)}
                />
                <Link to={`/orders/${c.orderId}`}>{c.reference ?? c.orderId}</Link>
                <span>{c.company}</span>
                <span>{props.columnLabel(c.column)}</span>
                <span>{ALLOY_NAMES[c.alloy] ?? c.alloy}</span>
                <span>{c.quantity}</span>
                <span>{c.dueDate}</span>
                <span>{since(c.since)}</span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
