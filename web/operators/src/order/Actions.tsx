import type { OperatorOrderView } from '@facet/contracts/operators';
import { PRODUCTION_STAGES } from '@facet/contracts/production';
import { type FormEvent, useState } from 'react';
import { type Api, ApiError, describeError } from '../api.ts';

type Action = Record<string, unknown> & { type: string };

const CARRIERS = ['DHL', 'DHL Express', 'UPS', 'FedEx', 'DPD', 'GLS', 'Post'];

/** The actions the order's state allows; each is one transition, sent with the version the operator sees. */
export function Actions(props: { view: OperatorOrderView; api: Api; onDone: () => Promise<void> }) {
  const { view } = props;
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const status = view.order.status;
  const stage = view.production.stage;
  const stageIndex = PRODUCTION_STAGES.findIndex((s) => s.id === stage);
  const next = PRODUCTION_STAGES[stageIndex + 1];
  const held = Boolean(view.production.hold);

  const act = async (action: Action) => {
    setBusy(true);
    setError(undefined);
    try {
      await props.api.post(`/ops/orders/${view.order.id}/actions`, { action, expectedVersion: view.version });
      // Busy until the page shows the new version: a second click must not send the old one.
      await props.onDone();
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        // Someone else moved the order since this page loaded it: show it as it is now.
        setError(`${describeError(e)} — the order is shown as it is now; check it and try again.`);
        await props.onDone();
      } else setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };
  const submit = (build: (form: FormData) => Action) => (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    void act(build(new FormData(e.currentTarget)));
  };
  const weighing = stage === 'burnout_cast' ? 'casting' : stage === 'finish' ? 'finishing' : undefined;

  return (
    <section className="panel actions" aria-label="Actions">
      <h2>Production</h2>
      {status === 'confirmed' ? (
        <button type="button" disabled={busy} onClick={() => void act({ type: 'start' })}>
          Start production
        </button>
      ) : null}
      {status === 'in_production' && !held && next ? (
        <button type="button" disabled={busy} onClick={() => void act({ type: 'advance' })}>
          Advance to “{next.label}”
        </button>
      ) : null}
      {status === 'in_production' && held ? (
        <div className="hold-note" data-testid="hold-note">
          On hold: {view.production.hold?.reason}{' '}
          <button type="button" disabled={busy} onClick={() => void act({ type: 'resume' })}>
            Resume
          </button>
        </div>
      ) : null}
      {status === 'in_production' && !held ? (
        <form className="inline" onSubmit={submit((f) => ({ type: 'hold', reason: String(f.get('reason') ?? '') }))}>
          <input name="reason" aria-label="Hold reason" placeholder="Why hold it?" required minLength={3} />
          <button type="submit" disabled={busy}>
            Hold
          </button>
        </form>
      ) : null}
      {status === 'in_production' && weighing ? (
        <form
          className="inline"
          onSubmit={submit((f) => ({
            type: 'record-weights',
            point: weighing,
            gramsIn: Number(f.get('gramsIn')),
            gramsOut: Number(f.get('gramsOut')),
          }))}
        >
          <span>Metal at {weighing}:</span>
          <input
            name="gramsIn"
            aria-label="Grams in"
            type="number"
            step="0.01"
            min="0.01"
            placeholder="in (g)"
            required
          />
          <input
            name="gramsOut"
            aria-label="Grams out"
            type="number"
            step="0.01"
            min="0.01"
            placeholder="out (g)"
            required
          />
          <button type="submit" disabled={busy}>
            Record weights
          </button>
        </form>
      ) : null}
      {status === 'in_production' && !held && !next ? (
        <form
          className="inline"
          onSubmit={submit((f) => ({
            type: 'ship',
            carrier: String(f.get('carrier') ?? ''),
            trackingNumber: String(f.get('trackingNumber') ?? ''),
          }))}
        >
          <input name="carrier" aria-label="Carrier" placeholder="Carrier" list="carriers" required minLength={2} />
          <datalist id="carriers">
            {CARRIERS.map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
          <input
            name="trackingNumber"
            aria-label="Tracking number"
            placeholder="Tracking number"
            required
            minLength={3}
          />
          <button type="submit" disabled={busy}>
            Ship
          </button>
        </form>
      ) : null}
      {status === 'shipped' ? (
        <button type="button" disabled={busy} onClick={() => void act({ type: 'deliver' })}>
          Mark delivered
        </button>
      ) : null}
      {status === 'failed' ? (
        <button type="button" disabled={busy} onClick={() => void act({ type: 'rerun' })}>
          Re-run the calculation
        </button>
      ) : null}
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      {view.production.weights.length ? (
        <table className="weights">
          <thead>
            <tr>
              <th>Point</th>
              <th>In</th>
              <th>Out</th>
              <th>Loss</th>
            </tr>
          </thead>
          <tbody>
            {view.production.weights.map((w) => (
              <tr key={`${w.point}-${w.at}`}>
                <td>{w.point}</td>
                <td>{w.gramsIn.toFixed(2)} g</td>
                <td>{w.gramsOut.toFixed(2)} g</td>
                <td data-testid={`loss-${w.point}`}>{w.lossGrams.toFixed(2)} g</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {view.production.shipment ? (
        <p>
          Shipped with {view.production.shipment.carrier}, tracking {view.production.shipment.trackingNumber}
        </p>
      ) : null}
    </section>
  );
}
