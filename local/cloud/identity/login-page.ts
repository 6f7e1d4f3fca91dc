/** Escapes text for HTML (every value the page echoes comes from the query string or the form). */
export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/**
 * The local issuer's sign-in page: a plain form, no script, styles in the page's own stylesheet route — it works
 * under `default-src 'none'` with only `style-src 'self'` and `form-action 'self'`.
 */
export function loginPage(options: { hidden: Record<string, string>; email?: string; error?: string }): string {
  const hidden = Object.entries(options.hidden)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('\n      ');
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Sign in — Facet workshop</title>
  <link rel="stylesheet" href="/login.css">
</head>
<body>
  <main>
    <h1>Facet workshop</h1>
    <p class="note">Local sign-in (stands in for Cognito's managed login on AWS).</p>
    ${options.error ? `<p class="error" role="alert">${escapeHtml(options.error)}</p>` : ''}
    <form method="post" action="/oauth2/authorize">
      ${hidden}
      <label>Email <input name="email" type="email" autocomplete="username" required value="${escapeHtml(options.email ?? '')}"></label>
      <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
      <button type="submit">Sign in</button>
    </form>
  </main>
</body>
</html>`;
}

export const LOGIN_CSS = `body{font:16px system-ui,sans-serif;background:#f4f1ea;color:#222;display:grid;place-items:center;min-height:100vh;margin:0}
main{background:#fff;padding:2rem 2.5rem;border-radius:8px;box-shadow:0 2px 12px #0002;min-width:20rem}
h1{margin:0 0 .5rem;font-size:1.4rem}.note{color:#666;font-size:.85rem}
label{display:block;margin:.8rem 0}input{display:block;width:100%;box-sizing:border-box;padding:.5rem;margin-top:.25rem;font:inherit}
button{margin-top:1rem;padding:.6rem 1.2rem;font:inherit;background:#7a5c1e;color:#fff;border:0;border-radius:4px;cursor:pointer}
.error{background:#fde8e8;color:#8a1f1f;padding:.5rem .75rem;border-radius:4px}`;
