import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { Api, describeError } from './api.ts';
import type { Auth } from './auth.ts';
import { BoardPage } from './board/BoardPage.tsx';
import { Thumbnails } from './board/thumbnails.ts';
import { AttentionPage } from './pages/AttentionPage.tsx';
import { CompaniesPage } from './pages/CompaniesPage.tsx';
import { TreesPage } from './pages/TreesPage.tsx';
import { Link, usePath } from './router.tsx';

// three.js is most of the site's weight: only the order page loads it, so the board opens without it.
const OrderPage = lazy(() => import('./order/OrderPage.tsx').then((m) => ({ default: m.OrderPage })));

interface Me {
  email: string;
  role: 'operator' | 'admin';
}

export function App({ auth }: { auth: Auth }) {
  const api = useMemo(() => new Api(auth), [auth]);
  const thumbnails = useMemo(() => new Thumbnails(api), [api]);
  const path = usePath();
  const [me, setMe] = useState<Me>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    api.get<Me>('/ops/me').then(setMe, (e: unknown) => setError(describeError(e)));
  }, [api]);

  const orderId = /^\/orders\/([A-Za-z0-9_-]+)$/.exec(path)?.[1];
  const page = orderId ? (
    <Suspense fallback={<div className="loading">Loading …</div>}>
      <OrderPage api={api} orderId={orderId} />
    </Suspense>
  ) : path === '/trees' ? (
    <TreesPage api={api} />
  ) : path === '/attention' ? (
    <AttentionPage api={api} />
  ) : path === '/companies' ? (
    me?.role === 'admin' ? (
      <CompaniesPage api={api} />
    ) : (
      <p className="page">Companies and keys are managed by admins.</p>
    )
  ) : (
    <BoardPage api={api} thumbnails={thumbnails} />
  );
  const nav = (to: string, label: string) => (
    <Link to={to} className={path === to ? 'active' : ''}>
      {label}
    </Link>
  );
  return (
    <div className="app">
      <header className="top">
        <span className="brand">Facet MES</span>
        <nav>
          {nav('/', 'Board')}
          {nav('/trees', 'Casting trees')}
          {nav('/attention', 'Attention')}
          {me?.role === 'admin' ? nav('/companies', 'Companies') : null}
        </nav>
        <span className="who" data-testid="signed-in">
          {me ? `${me.email} (${me.role})` : (error ?? '')}
        </span>
        <button type="button" onClick={() => void auth.signOut()}>
          Sign out
        </button>
      </header>
      <main>{page}</main>
    </div>
  );
}
