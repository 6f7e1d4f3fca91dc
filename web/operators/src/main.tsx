import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { Auth } from './auth.ts';
import { loadConfig } from './config.ts';
import './styles.css';

const root = createRoot(document.getElementById('root') as HTMLElement);

try {
  const auth = new Auth(await loadConfig());
  const user = await auth.start();
  // No user: the browser is on its way to the sign-in page.
  if (user) root.render(<App auth={auth} />);
} catch (error) {
  root.render(<p className="page error">Cannot start: {error instanceof Error ? error.message : String(error)}</p>);
}
