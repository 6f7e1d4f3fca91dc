import {
  Agent,
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  request,
  type ServerResponse,
} from 'node:http';
import type { Readable } from 'node:stream';
import { listenOn } from './ports.ts';
import { checksumMismatch, contentShaMismatch, decodeAwsChunked } from './s3-payload.ts';
import { refusalXml, type S3Refusal, s3Refusal } from './s3-refusal.ts';
import type { SigV4Verifier } from './s3-signature.ts';

/**
 * The local S3's front door: an HTTP server on the S3 port that refuses what S3 refuses (SigV4 signatures,
 * presigned expiry and signed headers, body hashes and checksums; see s3-signature.ts and s3-payload.ts) and
 * hands the rest to s3rver on an internal loopback port. CORS preflights pass unsigned, as on S3, and keep the
 * headers s3rver's CORS rules give; a refusal carries them too, so a browser can read it. Nothing a client sends
 * reaches an unhandled error: a failure here or in s3rver answers InternalError and the front keeps serving.
 */
export interface S3FrontOptions {
  readonly port: number;
  readonly upstream: { readonly host: string; readonly port: number };
  readonly verifier: SigV4Verifier;
  readonly log?: (line: string) => void;
}

export interface S3Front {
  readonly url: string;
  close(): Promise<void>;
}

/** Headers that belong to one connection, not to the request or response carried over it. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'upgrade', 'expect', 'te', 'trailer']);
/** The CORS headers s3rver adds to a request from an allowed origin. */
const CORS_HEADERS = [
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'access-control-expose-headers',
  'access-control-max-age',
  'vary',
];

export async function startS3Front(options: S3FrontOptions): Promise<S3Front> {
  const log = options.log ?? ((line: string) => console.error(line));
  const agent = new Agent({ keepAlive: true });
  const upstream = { host: options.upstream.host, port: options.upstream.port, agent };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log(`[s3] ${req.method} ${req.url}: ${error instanceof Error ? error.message : String(error)}`);
      if (res.headersSent) res.destroy();
      else void answer(req, res, s3Refusal('InternalError', 'We encountered an internal error. Please try again.'));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === 'OPTIONS') return forward(req, res, req, req.headers);
    const verdict = await options.verifier.verify({
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: req.headers,
    });
    if (!verdict.ok) return refuse(req, res, verdict.refusal);
    const payload = verdict.payload;
    if (payload.kind === 'unsigned') return forward(req, res, req, req.headers);

    const body = await readAll(req);
    if (payload.kind === 'sha256') {
      const refusal = contentShaMismatch(body, payload.hex) ?? checksumMismatch(body, flat(req.headers));
      return refusal ? answer(req, res, refusal) : forward(req, res, body, req.headers);
    }
    const decoded = decodeAwsChunked(body);
    if (!decoded || decoded.data.length !== payload.decodedLength) {
      return answer(
        req,
        res,
        s3Refusal(
          'IncompleteBody',
          'The request body does not match its aws-chunked framing or x-amz-decoded-content-length.',
        ),
      );
    }
    const refusal = checksumMismatch(decoded.data, { ...flat(req.headers), ...decoded.trailers });
    if (refusal) return answer(req, res, refusal);
    // S3 stores the data, not the framing: s3rver gets a plain body.
    const { 'x-amz-decoded-content-length': _, 'x-amz-trailer': __, ...headers } = req.headers;
    const encodings = (headers['content-encoding'] ?? '')
      .split(',')
      .map((e) => e.trim())
      .filter((e) => e && e !== 'aws-chunked');
    return forward(req, res, decoded.data, {
      ...headers,
      'content-encoding': encodings.length ? encodings.join(', ') : undefined,
      'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
    });
  }

  /** Passes the request on to s3rver and its answer back, status, headers and body as they are. */
  function forward(
    req: IncomingMessage,
    res: ServerResponse,
    body: Readable | Buffer,
    headers: IncomingHttpHeaders,
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      const sent = withoutHopByHop(headers);
      if (Buffer.isBuffer(body)) {
        delete sent['transfer-encoding'];
        sent['content-length'] = String(body.length);
      }
      const out = request({ ...upstream, method: req.method, path: req.url, headers: sent }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, withoutHopByHop(answer.headers));
        answer.pipe(res);
        answer.on('error', reject);
      });
      out.on('error', reject);
      res.on('close', () => {
        // A client that goes away takes its upstream request with it.
        if (!res.writableFinished) out.destroy();
        resolve();
      });
      if (Buffer.isBuffer(body)) out.end(body);
      else body.pipe(out);
    });
  }

  /** Refuses after reading what the client is still sending (else it sees a reset, not the answer). */
  async function refuse(req: IncomingMessage, res: ServerResponse, refusal: S3Refusal): Promise<void> {
    await readAll(req, 0).catch(() => undefined);
    return answer(req, res, refusal);
  }

  async function answer(req: IncomingMessage, res: ServerResponse, refusal: S3Refusal): Promise<void> {
    const cors = await corsFor(req);
    const xml = refusalXml(refusal);
    res.writeHead(refusal.status, {
      ...cors,
      'content-type': 'application/xml',
      'x-amz-error-code': refusal.code,
      'content-length': req.method === 'HEAD' ? undefined : Buffer.byteLength(xml),
    });
    res.end(req.method === 'HEAD' ? undefined : xml);
  }

  /** The CORS headers s3rver's rules give this origin and method on this bucket (S3 sends them on errors too). */
  function corsFor(req: IncomingMessage): Promise<Record<string, string>> {
    const origin = req.headers.origin;
    const bucket = (req.url ?? '/').split(/[/?]/)[1];
    if (!origin || !bucket) return Promise.resolve({});
    return new Promise((resolve) => {
      const probe = request(
        {
          ...upstream,
          method: 'HEAD',
          path: `/${bucket}`,
          headers: { origin, 'access-control-request-method': req.method ?? 'GET' },
          timeout: 2000,
        },
        (answer) => {
          answer.resume();
          const found: Record<string, string> = {};
          for (const name of CORS_HEADERS) {
            const value = answer.headers[name];
            if (typeof value === 'string') found[name] = value;
          }
          resolve(found);
        },
      );
      probe.on('error', () => resolve({}));
      probe.on('timeout', () => probe.destroy());
      probe.end();
    });
  }

  await listenOn(server, options.port, '127.0.0.1', 'the local S3');
  return {
    url: `http://127.0.0.1:${options.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}

/** The whole body; past `keep` bytes it is read and dropped (a refused upload is drained, not kept). */
async function readAll(req: IncomingMessage, keep = Number.POSITIVE_INFINITY): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const bytes = chunk as Buffer;
    if (size + bytes.length <= keep) chunks.push(bytes);
    size += bytes.length;
  }
  return Buffer.concat(chunks);
}

function withoutHopByHop(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) kept[name] = value;
  }
  return kept;
}

function flat(headers: IncomingHttpHeaders): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) out[name] = Array.isArray(value) ? value.join(',') : value;
  return out;
}
