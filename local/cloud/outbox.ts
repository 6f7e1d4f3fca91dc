import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { join } from 'node:path';

interface StoredMail {
  id: string;
  to: string;
  from: string;
  subject: string;
  text: string;
  sentAt: string;
}

/** A request the webhook inbox received, as it came (nothing is verified: the receiver does that). */
export interface ReceivedWebhook {
  id: string;
  /** The `<name>` of `/hooks/<name>`: one inbox per endpoint you register. */
  name: string;
  receivedAt: string;
  headers: Record<string, string>;
  body: string;
  /** What the inbox answered (200, or the `?status=` asked for, to try retries). */
  answeredStatus: number;
}

async function readJsonFiles<T>(dir: string): Promise<T[]> {
  const files = await readdir(dir).catch(() => [] as string[]);
  return Promise.all(
    files.filter((f) => f.endsWith('.json')).map(async (f) => JSON.parse(await readFile(join(dir, f), 'utf8')) as T),
  );
}

export async function readOutbox(dir: string): Promise<StoredMail[]> {
  return (await readJsonFiles<StoredMail>(dir)).sort((a, b) => b.sentAt.localeCompare(a.sentAt));
}

export async function readWebhookInbox(dir: string): Promise<ReceivedWebhook[]> {
  return (await readJsonFiles<ReceivedWebhook>(dir)).sort((a, b) => b.receivedAt.localeCompare(a.receivedAt));
}

const esc = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);

/** Stores one POST to `/hooks/<name>` and tells what to answer. */
async function receiveWebhook(req: IncomingMessage, url: URL, webhookDir: string): Promise<number> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const asked = Number(url.searchParams.get('status'));
  const answeredStatus = Number.isInteger(asked) && asked >= 200 && asked <= 599 ? asked : 200;
  const received: ReceivedWebhook = {
    id: randomUUID(),
    name: decodeURIComponent(url.pathname.slice('/hooks/'.length)) || 'default',
    receivedAt: new Date().toISOString(),
    headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
    body: Buffer.concat(chunks).toString('utf8'),
    answeredStatus,
  };
  await mkdir(webhookDir, { recursive: true });
  await writeFile(
    join(webhookDir, `${received.receivedAt.replace(/[:.]/g, '-')}-${received.id}.json`),
    JSON.stringify(received),
  );
  return answeredStatus;
}

/**
 * The outbox of local mode: emails (SES's stand-in) and a webhook inbox to point endpoints at — `POST /hooks/<name>`
 * stores the request (`?status=500` makes it answer 500, to watch retries). `/` is a page, `/messages.json` and
 * `/hooks.json` the same as data.
 */
export async function startOutboxServer(
  dir: string,
  port: number,
  webhookDir = join(dir, '..', 'webhooks'),
): Promise<{ url: string; server: Server }> {
  let listeningPort = port;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'POST' && url.pathname.startsWith('/hooks/')) {
      void receiveWebhook(req, url, webhookDir).then(
        (status) => res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'received' : 'refused'),
        () => res.writeHead(500).end(),
      );
      return;
    }
    void Promise.all([readOutbox(dir), readWebhookInbox(webhookDir)]).then(([mails, hooks]) => {
      if (url.pathname === '/messages.json') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify(mails));
      }
      if (url.pathname === '/hooks.json') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify(hooks));
      }
      const mailRows = mails
        .map(
          (m) =>
            `<article><h3>${esc(m.subject)}</h3><p><small>${esc(m.sentAt)} · to ${esc(m.to)} · from ${esc(m.from)}</small></p><pre>${esc(m.text)}</pre></article>`,
        )
        .join('');
      const hookRows = hooks
        .slice(0, 100)
        .map(
          (h) =>
            `<article><h3>/hooks/${esc(h.name)} · ${esc(h.headers['webhook-id'] ?? '')}</h3><p><small>${esc(h.receivedAt)} · answered ${h.answeredStatus} · timestamp ${esc(h.headers['webhook-timestamp'] ?? '')}</small></p><pre>webhook-signature: ${esc(h.headers['webhook-signature'] ?? '')}\n\n${esc(h.body)}</pre></article>`,
        )
        .join('');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="refresh" content="5"><title>Facet outbox</title><style>body{font:15px system-ui;max-width:60rem;margin:2rem auto;padding:0 1rem}article{border:1px solid #ddd;border-radius:8px;padding:0 1rem;margin:1rem 0}pre{white-space:pre-wrap;word-break:break-all}</style></head><body><h1>Outbox</h1><p>What the notifiers sent in local mode. This page refreshes every 5 s.</p><h2>Emails (${mails.length})</h2>${mailRows || '<p>No email yet.</p>'}<h2>Webhooks (${hooks.length})</h2><p>Register an endpoint with the URL <code>${esc(`http://127.0.0.1:${listeningPort}/hooks/`)}&lt;name&gt;</code> (add <code>?status=500</code> to make it fail and watch the retries).</p>${hookRows || '<p>No webhook yet.</p>'}</body></html>`,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  listeningPort = typeof address === 'object' && address ? address.port : port;
  return { url: `http://127.0.0.1:${listeningPort}`, server };
}
