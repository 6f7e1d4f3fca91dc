import type { BoardView, TreeView } from '@facet/contracts/operators';
import { useCallback, useEffect, useState } from 'react';
import { type Api, describeError } from '../api.ts';
import { ALLOY_NAMES, grams } from '../format.ts';

/** Casting trees: confirmed orders of one alloy picked into a tree, cast together; the metal each tree needs. */
export function TreesPage({ api }: { api: Api }) {
  const [trees, setTrees] = useState<TreeView[]>([]);
  const [candidates, setCandidates] = useState<BoardView['cards']>([]);
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<string>();
  const load = useCallback(async () => {
    try {
      const [list, board] = await Promise.all([
        api.get<{ trees: TreeView[] }>('/ops/trees'),
        api.get<BoardView>('/ops/board'),
      ]);
      setTrees(list.trees);
      setCandidates(
        board.cards.filter((c) => !c.treeId && (c.column === 'confirmed' || (c.column === 'print' && !c.hold))),
      );
    } catch (e) {
      setError(describeError(e));
    }
  }, [api]);
  useEffect(() => void load(), [load]);
  const alloy = candidates.find((c) => picked.has(c.orderId))?.alloy;
  const toggle = (id: string) =>
    setPicked((p) => {
      const next = new Set(p);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const create = async () => {
    setError(undefined);
    try {
      await api.post('/ops/trees', { orderIds: [...picked] });
      setPicked(new Set());
      await load();
    } catch (e) {
      setError(describeError(e));
    }
  };
  const advance = async (tree: TreeView) => {
    setError(undefined);
    try {
      await api.post(`/ops/trees/${tree.id}/advance`, { expectedStage: tree.stage });
      await load();
    } catch (e) {
      setError(describeError(e));
    }
  };
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
        <p className="muted">Pick confirmed orders of one alloy; they move through tree, invest and cast together.</p>
        <table className="list">
          <tbody>
            {candidates.map((c) => (
              <tr key={c.orderId}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`tree ${c.reference ?? c.orderId}`}
                    checked={picked.has(c.orderId)}
                    disabled={alloy !== undefined && c.alloy !== alloy}
                    onChange={() => toggle(c.orderId)}
                  />
                </td>
                <td>{c.reference ?? c.orderId}</td>
                <td>{c.company}</td>
                <td>{ALLOY_NAMES[c.alloy] ?? c.alloy}</td>
                <td>× {c.quantity}</td>
                <td>{c.weightGrams ? grams(c.weightGrams * c.quantity) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <button type="button" disabled={picked.size === 0} onClick={() => void create()}>
          Make a tree of {picked.size} order(s)
        </button>
      </section>
      {trees.map((t) => (
        <section key={t.id} className="panel" data-testid="tree">
          <h2>
            Tree {t.id} · {ALLOY_NAMES[t.alloy] ?? t.alloy} · {t.stage.replace('_', ' ')}
          </h2>
          <p>
            {t.pieces} pieces · resin {grams(t.resinGrams)} ·{' '}
            <strong data-testid="tree-metal">metal to melt {grams(t.metalGrams)}</strong>
          </p>
          <p className="muted">{t.orders.map((o) => o.reference ?? o.orderId).join(', ')}</p>
          <button type="button" onClick={() => void advance(t)}>
            Advance the tree
          </button>
        </section>
      ))}
    </div>
  );
}
