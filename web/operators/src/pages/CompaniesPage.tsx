import type { CompanyView } from '@facet/contracts/operators';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { type Api, describeError } from '../api.ts';
import { dateTime } from '../format.ts';

/** Admins: companies and their API keys (the same domain functions as `npm run tenants`). */
export function CompaniesPage({ api }: { api: Api }) {
  const [companies, setCompanies] = useState<CompanyView[]>([]);
  const [issued, setIssued] = useState<{ company: string; keyId: string; apiKey: string }>();
  const [error, setError] = useState<string>();
  const [copied, setCopied] = useState(false);
  // Revoking is final: the button asks once more.
  const [revoking, setRevoking] = useState<string>();
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
  const issue = (company: CompanyView, kind: 'live' | 'sandbox') =>
    run(async () => {
      const key = await api.post<{ keyId: string; apiKey: string }>(`/ops/companies/${company.id}/keys`, { kind });
      setIssued({ company: company.name, keyId: key.keyId, apiKey: key.apiKey });
      setCopied(false);
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
          New key {issued.keyId} for {issued.company} (shown once, stored only as its hash):{' '}
          <code data-testid="issued-key">{issued.apiKey}</code>{' '}
          <button
            type="button"
            onClick={() =>
              void navigator.clipboard?.writeText(issued.apiKey).then(
                () => setCopied(true),
                () => setCopied(false),
              )
            }
          >
            {copied ? 'Copied' : 'Copy'}
          </button>{' '}
          <button type="button" onClick={() => setIssued(undefined)}>
            Done
          </button>
        </div>
      ) : null}
      {companies.map((c) => (
        <section key={c.id} className="panel" data-testid="company">
          <h2>
            {c.name} <span className="muted">{c.id}</span>
          </h2>
          <p className="muted">{c.notificationEmail}</p>
          {c.keys.length === 0 ? <p className="muted">No API key yet.</p> : null}
          <table className="list">
            <tbody>
              {c.keys.map((k) => (
                <tr key={k.keyId} data-testid="api-key">
                  <td>
                    <code>{k.keyId}</code>
                  </td>
                  <td>{k.kind}</td>
                  <td className={k.status === 'revoked' ? 'muted' : ''}>{k.status}</td>
                  <td className="muted">{k.createdAt ? dateTime(k.createdAt) : ''}</td>
                  <td>
                    {k.status === 'active' && revoking !== k.keyId ? (
                      <button type="button" onClick={() => setRevoking(k.keyId)}>
                        Revoke
                      </button>
                    ) : null}
                    {revoking === k.keyId ? (
                      <>
                        <button
                          type="button"
                          className="danger"
                          onClick={() =>
                            void run(async () => {
                              await api.call('POST', `/ops/companies/${c.id}/keys/${k.keyId}/revoke`);
                              setRevoking(undefined);
                            })
                          }
                        >
                          Revoke for good
                        </button>{' '}
                        <button type="button" onClick={() => setRevoking(undefined)}>
                          Keep
                        </button>
                      </>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="button" onClick={() => void issue(c, 'live')}>
            Issue live key
          </button>{' '}
          <button type="button" onClick={() => void issue(c, 'sandbox')}>
            Issue sandbox key
          </button>
        </section>
      ))}
    </div>
  );
}
