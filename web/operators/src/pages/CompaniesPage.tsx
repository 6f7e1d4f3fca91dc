import type { CompanyView } from '@facet/contracts/operators';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { type Api, describeError } from '../api.ts';

/** Admins: companies and their API keys (the same domain functions as `npm run tenants`). */
export function CompaniesPage({ api }: { api: Api }) {
  const [companies, setCompanies] = useState<CompanyView[]>([]);
  const [issued, setIssued] = useState<{ tenantId: string; apiKey: string }>();
  const [error, setError] = useState<string>();
  const load = useCallback(async () => {
    try {
      setCompanies((await api.get<{ companies: CompanyView[] }>('/ops/companies')).companies);
    } catch (e) {
      setError(describeError(e));
    }
  }, [api]);
  useEffect(() => void load(), [load]);
  const run = async (work: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await work();
      await load();
    } catch (e) {
      setError(describeError(e));
    }
  };
  const create = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const target = e.currentTarget;
    void run(async () => {
      await api.post('/ops/companies', {
        name: String(form.get('name') ?? ''),
        notificationEmail: String(form.get('email') ?? ''),
      });
      target.reset();
    });
  };
  const issue = (tenantId: string, kind: 'live' | 'sandbox') =>
    run(async () => {
      const key = await api.post<{ keyId: string; apiKey: string }>(`/ops/companies/${tenantId}/keys`, { kind });
      setIssued({ tenantId, apiKey: key.apiKey });
    });
  return (
    <div className="page">
      <h1>Companies</h1>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      <form className="panel inline" onSubmit={create}>
        <input name="name" aria-label="Company name" placeholder="Company name" required minLength={2} />
        <input
          name="email"
          aria-label="Notification email"
          type="email"
          placeholder="orders@company.example"
          required
        />
        <button type="submit">Create company</button>
      </form>
      {issued ? (
        <div className="panel issued" role="status">
          New key for {issued.tenantId} (shown once, stored only as its hash):{' '}
          <code data-testid="issued-key">{issued.apiKey}</code>{' '}
          <button type="button" onClick={() => void navigator.clipboard?.writeText(issued.apiKey)}>
            Copy
          </button>
        </div>
      ) : null}
      {companies.map((c) => (
        <section key={c.id} className="panel" data-testid="company">
          <h2>
            {c.name} <span className="muted">{c.id}</span>
          </h2>
          <p className="muted">{c.notificationEmail}</p>
          <table className="list">
            <tbody>
              {c.keys.map((k) => (
                <tr key={k.keyId}>
                  <td>{k.keyId}</td>
                  <td>{k.kind}</td>
                  <td>{k.status}</td>
                  <td>
                    {k.status === 'active' ? (
                      <button
                        type="button"
                        onClick={() =>
                          void run(() => api.call('POST', `/ops/companies/${c.id}/keys/${k.keyId}/revoke`))
                        }
                      >
                        Revoke
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="button" onClick={() => void issue(c.id, 'live')}>
            Issue live key
          </button>{' '}
          <button type="button" onClick={() => void issue(c.id, 'sandbox')}>
            Issue sandbox key
          </button>
        </section>
      ))}
    </div>
  );
}
