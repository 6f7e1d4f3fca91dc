import type { BoardCard } from '@facet/contracts/operators';
import { useCallback, useEffect, useState } from 'react';
import { type Api, describeError } from '../api.ts';
import { since } from '../format.ts';
import { Link } from '../router.tsx';

interface Attention {
  cards: BoardCard[];
  deadLetters: { queue: string; count: number; sample: { messageId: string; orderId?: string; body: string }[] }[];
}

/** Failed and rejected calculations with their reasons, and the dead-lettered jobs; a failed one can be re-run. */
export function AttentionPage({ api }: { api: Api }) {
  const [data, setData] = useState<Attention>();
  const [error, setError] = useState<string>();
  const load = useCallback(async () => {
    try {
      setData(await api.get<Attention>('/ops/attention'));
    } catch (e) {
      setError(describeError(e));
    }
  }, [api]);
  useEffect(() => void load(), [load]);
  const [running, setRunning] = useState<string>();
  const rerun = async (card: BoardCard) => {
    setError(undefined);
    setRunning(card.orderId);
    try {
      await api.post(`/ops/orders/${card.orderId}/actions`, {
        action: { type: 'rerun' },
        expectedVersion: card.version,
      });
      await load();
    } catch (e) {
      setError(describeError(e));
    } finally {
      setRunning(undefined);
    }
  };
  return (
    <div className="page">
      <h1>Needs attention</h1>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      {!data ? <p>Loading …</p> : null}
      {data && data.cards.length === 0 ? <p>Nothing failed or rejected.</p> : null}
      <table className="list">
        {data?.cards.length ? (
          <thead>
            <tr>
              <th>Order</th>
              <th>Company</th>
              <th>Status</th>
              <th>Why</th>
              <th>Since</th>
              <th />
            </tr>
          </thead>
        ) : null}
        <tbody>
          {data?.cards.map((c) => (
            <tr key={c.orderId} data-testid="attention-row">
              <td>
                <Link to={`/orders/${c.orderId}`}>{c.reference ?? c.orderId}</Link>
              </td>
              <td>{c.company}</td>
              <td className={c.status === 'failed' ? 'error' : ''}>{c.status}</td>
              <td>{(c.reasons ?? []).join(' · ')}</td>
              <td className="muted">{since(c.since)} ago</td>
              <td>
                {c.status === 'failed' ? (
                  <button type="button" disabled={running !== undefined} onClick={() => void rerun(c)}>
                    {running === c.orderId ? 'Queuing …' : 'Re-run'}
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Dead-lettered jobs</h2>
      {data?.deadLetters.map((q) => (
        <section key={q.queue} className="panel">
          <h3>
            {q.queue}: {q.count}
          </h3>
          {q.count === 0 ? <p className="muted">Nothing dead-lettered.</p> : null}
          <ul>
            {q.sample.map((m) => (
              <li key={m.messageId}>
                {m.orderId ? <Link to={`/orders/${m.orderId}`}>{m.orderId}</Link> : m.messageId}
                <code className="muted"> {m.body.slice(0, 160)}</code>
              </li>
            ))}
          </ul>
          <p className="muted">Redrive after fixing the cause: npm run dlq -- redrive {q.queue}</p>
        </section>
      ))}
    </div>
  );
}
