import type { OperatorOrderView } from '@facet/contracts/operators';
import type { CalculationReport } from '@facet/contracts/report';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { type Api, describeError } from '../api.ts';
import { ALLOY_NAMES, dateTime, money } from '../format.ts';
import { Link } from '../router.tsx';
import { Actions } from './Actions.tsx';
import { type Marker, Viewer } from './Viewer.tsx';

/** What the viewer and the report panel read of the calculation report (the engine's schema, version 1). */
type Report = Partial<Pick<CalculationReport, 'defects' | 'wallThickness' | 'topology' | 'repairs'>>;

/** One order: the model in 3D with its findings, the report and quote, production, files and the audit log. */
export function OrderPage({ api, orderId }: { api: Api; orderId: string }) {
  const [view, setView] = useState<OperatorOrderView>();
  const [report, setReport] = useState<Report>();
  const [error, setError] = useState<string>();
  const load = useCallback(async () => {
    try {
      const next = await api.get<OperatorOrderView>(`/ops/orders/${orderId}`);
      // A slow refresh must not replace a newer answer (an action's reload can overtake it).
      setView((shown) => (shown && shown.order.id === next.order.id && shown.version > next.version ? shown : next));
      setError(undefined);
    } catch (e) {
      setError(describeError(e));
    }
  }, [api, orderId]);
  useEffect(() => {
    void load();
    // While the order calculates, follow its progress.
    const timer = setInterval(() => void load(), 4000);
    return () => clearInterval(timer);
  }, [load]);
  const reportUrl = view?.files.report;
  const hasReport = Boolean(reportUrl);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the link is re-signed on every load; the report is the same.
  useEffect(() => {
    if (!reportUrl) return;
    fetch(reportUrl)
      .then((r) => (r.ok ? (r.json() as Promise<Report>) : undefined))
      .then(setReport)
      .catch(() => setReport(undefined));
  }, [hasReport]);
  const markers = useMemo<Marker[]>(
    () => [
      ...(report?.defects ?? []).flatMap((d) =>
        d.locations.map((at) => ({ at, kind: 'defect' as const, label: d.message })),
      ),
      ...(report?.wallThickness?.thinSpots ?? []).map((s) => ({
        at: s.at,
        kind: 'thin' as const,
        label: `${s.thicknessMm.toFixed(2)} mm`,
      })),
    ],
    [report],
  );
  // The viewer keeps the first link it got (links are re-signed on every refresh; the model does not change).
  const [model, setModel] = useState<{ url: string; format?: string }>();
  useEffect(() => {
    if (model || !view) return;
    if (view.files.repaired) setModel({ url: view.files.repaired, format: 'stl-binary' });
    else if (view.files.original && view.files.original.format !== '3mf') {
      setModel({
        url: view.files.original.url,
        ...(view.files.original.format ? { format: view.files.original.format } : {}),
      });
    }
  }, [view, model]);

  if (error && !view) return <div className="loading error">{error}</div>;
  if (!view) return <div className="loading">Loading the order …</div>;
  const { order } = view;
  const item = order.items[0];
  return (
    <div className="order-page">
      <p>
        <Link to="/">← Board</Link>
      </p>
      <header className="order-head">
        <h1 data-testid="order-title">{order.reference ?? order.id}</h1>
        <span className={`status status-${order.status}`} data-testid="order-status">
          {order.status.replace('_', ' ')}
          {view.production.stage ? ` · ${view.production.stage.replace('_', ' ')}` : ''}
        </span>
        <span>{view.company}</span>
        <span>
          {item ? `${ALLOY_NAMES[item.alloy] ?? item.alloy} × ${item.quantity}` : ''}
          {item?.ringSize ? ` · ring size ${item.ringSize.size} ${item.ringSize.system}` : ''}
        </span>
        <span>due {order.dueDate}</span>
        <span className="muted">{order.id}</span>
      </header>
      {error ? <p className="error">{error}</p> : null}
      <div className="order-grid">
        <div>
          {model ? (
            <Viewer url={model.url} markers={markers} {...(model.format ? { format: model.format } : {})} />
          ) : (
            <div className="viewer viewer-state">
              {order.status === 'awaiting_upload'
                ? 'The model is not uploaded yet.'
                : 'No model to show (3MF is shown after repair).'}
            </div>
          )}
          {order.progress ? (
            <div className="job-progress" data-testid="job-progress">
              Calculating: {order.progress.stage} {order.progress.percent}%
              <div className="progress">
                <div className="progress-bar" style={{ width: `${order.progress.percent}%` }} />
              </div>
            </div>
          ) : null}
          <section className="panel">
            <h2>Report</h2>
            {order.metrics ? (
              <dl className="facts">
                <dt>Metal per piece</dt>
                <dd>{order.metrics.weightGrams.toFixed(2)} g (sprue included)</dd>
                <dt>Volume</dt>
                <dd>{(order.metrics.volumeMm3 / 1000).toFixed(3)} cm³</dd>
                <dt>Size</dt>
                <dd>{order.metrics.boundingBoxMm.map((v) => v.toFixed(1)).join(' × ')} mm</dd>
                <dt>Triangles</dt>
                <dd>{order.metrics.triangles.toLocaleString('en')}</dd>
                {report?.topology ? (
                  <>
                    <dt>Mesh</dt>
                    <dd>
                      {report.topology.watertight ? 'watertight' : 'not watertight'} · {report.topology.shells} shell(s)
                      {report.topology.selfIntersections
                        ? ` · ${report.topology.selfIntersections} self-intersections`
                        : ''}
                    </dd>
                  </>
                ) : null}
                {report?.wallThickness ? (
                  <>
                    <dt>Thinnest wall</dt>
                    <dd>
                      {report.wallThickness.minMm?.toFixed(2) ?? '—'} mm (minimum{' '}
                      {report.wallThickness.minimumAllowedMm} mm)
                    </dd>
                  </>
                ) : null}
              </dl>
            ) : (
              <p className="muted">No measurements yet.</p>
            )}
            {report?.defects?.length ? (
              <ul className="defects">
                {report.defects.map((d) => (
                  <li key={d.kind} className={d.severity}>
                    {d.message} ({d.count})
                  </li>
                ))}
              </ul>
            ) : null}
            {report?.repairs?.length ? (
              <ul className="repairs">
                {report.repairs.map((r) => (
                  <li key={r.kind}>
                    Repaired: {r.message} ({r.count})
                  </li>
                ))}
              </ul>
            ) : null}
            {order.rejection ? (
              <ul className="defects">
                {order.rejection.reasons.map((r) => (
                  <li key={r} className="error">
                    {r}
                  </li>
                ))}
              </ul>
            ) : null}
            {order.quote ? <h3 className="quote-head">Quote</h3> : null}
            {order.quote ? (
              <table className="quote">
                <tbody>
                  {order.quote.lines.map((l) => (
                    <tr key={l.code}>
                      <td>{l.label}</td>
                      <td>{money(l.amount, order.quote?.currency ?? 'EUR')}</td>
                    </tr>
                  ))}
                  <tr className="total">
                    <td>Total</td>
                    <td>{money(order.quote.total, order.quote.currency)}</td>
                  </tr>
                </tbody>
              </table>
            ) : null}
          </section>
        </div>
        <div>
          <Actions view={view} api={api} onDone={load} />
          <section className="panel">
            <h2>Files</h2>
            <ul className="files">
              {view.files.original ? (
                <li>
                  <a href={view.files.original.url}>{view.files.original.name}</a> (as uploaded)
                </li>
              ) : null}
              {view.files.repaired ? (
                <li>
                  <a href={view.files.repaired}>repaired model (STL)</a>
                </li>
              ) : null}
              {view.files.report ? (
                <li>
                  <a href={view.files.report}>report (JSON)</a>
                </li>
              ) : null}
            </ul>
          </section>
          <section className="panel">
            <h2>History</h2>
            <table className="audit" data-testid="audit">
              <tbody>
                {view.audit
                  .slice()
                  .reverse()
                  .map((a) => (
                    <tr key={a.eventId}>
                      <td className="muted">{dateTime(a.at)}</td>
                      <td>
                        {a.detail ?? a.type}
                        {a.stage ? ` (${a.stage.replace('_', ' ')})` : ''}
                      </td>
                      <td>
                        {a.actor?.email ?? a.actor?.id ?? a.actor?.kind ?? ''}
                        {a.actor?.ip ? <span className="muted"> from {a.actor.ip}</span> : null}
                      </td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </section>
        </div>
      </div>
    </div>
  );
}
