import { readdir, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';

interface StoredMail {
  id: string;
  to: string;
  from: string;
  subject: string;
  text: string;
  sentAt: string;
}

export async function readOutbox(dir: string): Promise<StoredMail[]> {
  const files = await readdir(dir).catch(() => [] as string[]);
  const mails = await Promise.all(
    files
      .filter((f) => f.endsWith('.json'))
      .map(async (f) => JSON.parse(await readFile(join(dir, f), 'utf8')) as StoredMail),
  );
  return mails.sort((a, b) => b.sentAt.localeCompare(a.sentAt));
}

const esc = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);

/** The email outbox of local mode (SES's stand-in): `/` is a page, `/messages.json` the same as data. */
export async function startOutboxServer(dir: string, port: number): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    void readOutbox(dir).then((mails) => {
      if (req.url?.startsWith('/messages.json')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify(mails));
      }
      const rows = mails
        .map(
          (m) =>
            `<article><h2>${esc(m.subject)}</h2><p><small>${esc(m.sentAt)} · to ${esc(m.to)} · from ${esc(m.from)}</small></p><pre>${esc(m.text)}</pre></article>`,
        )
        .join('');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="refresh" content="5"><title>Facet outbox</title><style>body{font:15px system-ui;max-width:60rem;margin:2rem auto;padding:0 1rem}article{border:1px solid #ddd;border-radius:8px;padding:0 1rem;margin:1rem 0}pre{white-space:pre-wrap}</style></head><body><h1>Outbox (${mails.length})</h1><p>Emails the notifier sent in local mode. This page refreshes every 5 s.</p>${rows || '<p>No email yet.</p>'}</body></html>`,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}`, server };
}
