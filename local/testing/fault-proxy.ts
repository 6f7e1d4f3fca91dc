import { createServer, request as forward, type Server } from 'node:http';

/** Which AWS operations a request is: the SQS JSON protocol names it in a header, SNS's query protocol in the body. */
function operationOf(headers: Record<string, string | string[] | undefined>, body: string): string {
  const target = headers['x-amz-target'];
  if (typeof target === 'string') return target.split('.').pop() ?? target;
  return /(?:^|&)Action=([A-Za-z]+)/.exec(body)?.[1] ?? 'unknown';
}

export interface FaultPlan {
  /** Operations to fail (e.g. Publish, SendMessage, ReceiveMessage); others always pass. */
  readonly operations: readonly string[];
  /** Probability of failing each matching request outside a burst. */
  failRate: number;
  /** Until then (epoch ms) every matching request fails. */
  burstUntil: number;
}

/**
 * A fault-injecting proxy for an AWS-protocol emulator (tests only): forwards every request, except that the
 * planned operations fail with a 500 InternalError, at random or in bursts, until healed. Counts what it did.
 */
export async function startFaultProxy(target: string, plan: FaultPlan) {
  const counts = { forwarded: 0, failed: 0, byOperation: {} as Record<string, number> };
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const operation = operationOf(req.headers, body.toString('utf8'));
      const planned = plan.operations.includes(operation);
      if (planned && (Date.now() < plan.burstUntil || Math.random() < plan.failRate)) {
        counts.failed++;
        counts.byOperation[operation] = (counts.byOperation[operation] ?? 0) + 1;
        res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify({ __type: 'InternalError', message: 'injected fault' }));
        return;
      }
      counts.forwarded++;
      const out = forward(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      out.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      out.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    heal() {
      plan.failRate = 0;
      plan.burstUntil = 0;
    },
    burst(ms: number) {
      plan.burstUntil = Date.now() + ms;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // The SDK keeps connections alive: close them, or close() waits for them forever.
        server.closeAllConnections();
      }),
  };
}
