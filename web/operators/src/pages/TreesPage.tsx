import type { BoardView, TreeView } from '@facet/contracts/operators';
import { PRODUCTION_STAGES } from '@facet/contracts/production';
import { useCallback, useEffect, useState } from 'react';
import { type Api, describeError } from '../api.ts';
import { ALLOY_NAMES, dateTime, grams } from '../format.ts';
import { Link } from '../router.tsx';

type Card = BoardView['cards'][number];

const stageLabel = (id: string) => PRODUCTION_STAGES.find((s) => s.id === id)?.label ?? id;
const nextStage = (id: string) => PRODUCTION_STAGES[PRODUCTION_STAGES.findIndex((s) => s.id === id) + 1]?.id ?? id;

/**
 * Casting trees: confirmed (or printing) orders of one alloy picked into a tree that moves through tree, invest and
 * cast together; the metal each tree needs, as the API computes it (resin volume × alloy density + sprue).
 */
export function TreesPage({ api }: { api: Api }) {
  const [trees, setTrees] = useState<TreeView[]>();
  const [candidates, setCandidates] = useState<Card[]>([]);
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const load = useCallback(async () => {
    try {
      const [list, board] = await Promise.all([
        api.get<{ trees: TreeView[] }>('/ops/trees'),
        api.get<BoardView>('/ops/board'),
      ]);
      setTrees(list.trees);
      setCandidates(
        board.cards
          .filter((c) => !c.treeId && !c.hold && (c.column === 'confirmed' || c.column === 'print'))
          .sort((a, b) => a.alloy.localeCompare(b.alloy) || a.dueDate.localeCompare(b.dueDate)),
      );
    } catch (e) {
      setError(describeError(e));
    }
  }, [api]);
  useEffect(() => void load(), [load]);

  const chosen = candidates.filter((c) => picked.has(c.orderId));
  const alloy = chosen[0]?.alloy;
  const pieces = chosen.reduce((n, c) => n + c.quantity, 0);
  const metalEstimate = chosen.reduce((g, c) => g + (c.weightGrams ?? 0) * c.quantity, 0);
  const toggle = (id: string) =>
    setPicked((p) => {
      const next = new Set(p);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const run = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
      await load();
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };
  const create = () =>
    run(async () => {
      await api.post('/ops/trees', { orderIds: chosen.map((c) => c.orderId) });
      setPicked(new Set());
    });

  return (
    <div className="page">
      <h1>Casting trees</h1>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      <section className="panel">
        <h2>New tree</h2>
        <p className="muted">
          Pick confirmed or printing orders of one alloy; they move through tree, invest and cast together.
        </p>
        {candidates.length === 0 ? (
          <p className="muted">No confirmed order waits for a tree.</p>
        ) : (
          <table className="list">
            <thead>
              <tr>
                <th />
                <th>Order</th>
                <th>Company</th>
                <th>Alloy</th>
                <th>Pieces</th>
                <th>Metal (estimate)</th>
                <th>Due</th>
                <th>Stage</th>
              </tr>
            </thead>
            <tbody>
              {candidates.map((c) => (
                <tr key={c.orderId} className={alloy !== undefined && c.alloy !== alloy ? 'muted' : ''}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`tree ${c.reference ?? c.orderId}`}
                      checked={picked.has(c.orderId)}
                      disabled={alloy !== undefined && c.alloy !== alloy}
                      onChange={() => toggle(c.orderId)}
                    />
                  </td>
                  <td>
                    <Link to={`/orders/${c.orderId}`}>{c.reference ?? c.orderId}</Link>
                  </td>
                  <td>{c.company}</td>
                  <td>{ALLOY_NAMES[c.alloy] ?? c.alloy}</td>
                  <td>{c.quantity}</td>
                  <td>{c.weightGrams ? grams(c.weightGrams * c.quantity) : '—'}</td>
                  <td className={c.overdue ? 'error' : ''}>{c.dueDate}</td>
                  <td>{c.column === 'print' ? 'printing' : 'confirmed'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <div className="bulk-bar">
          <button type="button" disabled={busy || chosen.length === 0} onClick={() => void create()}>
            Make a tree of {chosen.length} order(s)
          </button>
          {chosen.length ? (
            <span data-testid="tree-selection">
              {ALLOY_NAMES[alloy ?? ''] ?? alloy} · {pieces} piece(s) · about {grams(metalEstimate)} of metal with the
              orders' sprue (the tree's own figure follows from the API)
            </span>
          ) : null}
        </div>
      </section>
      <h2>Trees</h2>
      {!trees ? <p>Loading …</p> : null}
      {trees?.length === 0 ? <p className="muted">No tree yet.</p> : null}
      {trees?.map((t) => (
        <section key={t.id} className="panel" data-testid="tree">
          <h3>
            Tree {t.id} · {ALLOY_NAMES[t.alloy] ?? t.alloy} · {stageLabel(t.stage)}
          </h3>
          <p>
            {t.orders.length} order(s), {t.pieces} piece(s) · resin {grams(t.resinGrams)} ·{' '}
            <strong data-testid="tree-metal">metal to melt {grams(t.metalGrams)}</strong>
          </p>
          <p className="muted">
            {t.orders.map((o, i) => (
              <span key={o.orderId}>
                {i ? ', ' : ''}
                <Link to={`/orders/${o.orderId}`}>{o.reference ?? o.orderId}</Link> × {o.pieces}
              </span>
            ))}
          </p>
          <p className="muted">
            Made {dateTime(t.createdAt)}
            {t.createdBy ? ` by ${t.createdBy}` : ''}
          </p>
          <button type="button" disabled={busy} onClick={() => void run(() => advanceTree(api, t))}>
            Advance the tree to “{stageLabel(nextStage(t.stage))}”
          </button>
        </section>
      ))}
    </div>
  );
}

const advanceTree = (api: Api, tree: TreeView) =>
  api.post(`/ops/trees/${tree.id}/advance`, { expectedStage: tree.stage });
