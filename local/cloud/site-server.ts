import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { listenOn } from './ports.ts';

export interface SiteServerOptions {
  /** The built site (vite's dist). */
  readonly root: string;
  readonly port: number;
  /** Served as /config.json: the SPA's runtime settings, as the deployed config.json on AWS. */
  readonly config: unknown;
  /** Path prefixes forwarded to the API gateway, as CloudFront's behaviours do (same origin, no CORS). */
  readonly apiPrefixes: readonly string[];
  readonly apiUrl: string;
  /** The response headers policy of the distribution (CSP and the rest). */
  readonly headers: Readonly<Record<string, string>>;
  readonly log?: (line: string) => void;
}

export interface SiteServer {
  readonly url: string;
  readonly server: Server;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/**
 * The operators' site as CloudFront serves it: files from the bucket with the security headers, the SPA's routes
 * falling back to index.html, /config.json, and the API's paths passed through to the gateway untouched.
 */
export async function startSiteServer(options: SiteServerOptions): Promise<SiteServer> {
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.log?.(`[site] ${String(error)}`);
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('The site could not answer this request.');
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://site');
    if (options.apiPrefixes.some((p) => url.pathname.startsWith(p))) return proxy(req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...options.headers, allow: 'GET, HEAD' });
      return void res.end();
    }
    if (url.pathname === '/config.json') {
      res.writeHead(200, { ...options.headers, 'content-type': 'application/json', 'cache-control': 'no-store' });
      return void res.end(JSON.stringify(options.config));
    }
    const file = await staticFile(url.pathname);
    if (!file) {
      res.writeHead(503, { ...options.headers, 'content-type': 'text/plain; charset=utf-8' });
      return void res.end('The operators site is not built yet: npm run build:sites');
    }
    // Hashed assets never change; index.html must be re-read so a new build is picked up.
    const immutable = file.path.includes(`${sep}assets${sep}`);
    res.writeHead(200, {
      ...options.headers,
      'content-type': TYPES[extname(file.path)] ?? 'application/octet-stream',
      'content-length': String(file.size),
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file.path).pipe(res);
  }

  /** The file for a path, or index.html for the SPA's own routes (CloudFront's 403/404 → /index.html). */
  async function staticFile(pathname: string): Promise<{ path: string; size: number } | undefined> {
    const relative = normalize(decodeURIComponent(pathname)).replace(/^(\.\.(\/|\\|$))+/, '');
    for (const candidate of [join(options.root, relative), join(options.root, 'index.html')]) {
      if (!candidate.startsWith(options.root)) continue;
      const info = await stat(candidate).catch(() => undefined);
      if (info?.isFile()) return { path: candidate, size: info.size };
    }
    return undefined;
  }

  function proxy(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = new URL(req.url ?? '/', options.apiUrl);
    return new Promise((resolve, reject) => {
      const upstream = request(
        target,
        { method: req.method, headers: { ...req.headers, host: target.host } },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          answer.on('end', resolve);
          answer.on('error', reject);
        },
      );
      upstream.on('error', reject);
      req.pipe(upstream);
    });
  }

  await listenOn(server, options.port, '127.0.0.1', 'operators site');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return { url: `http://127.0.0.1:${port}`, server };
}
