import { createServer } from 'node:net';

/**
 * A free loopback port within [from, to]: the webhook suites keep to their own range (4700–4799) so they never
 * collide with the OS-picked ports of other suites running on the same machine.
 */
export async function portInRange(from: number, to: number): Promise<number> {
  const offset = Math.floor(Math.random() * (to - from + 1));
  for (let i = 0; i <= to - from; i++) {
    const port = from + ((offset + i) % (to - from + 1));
    if (await isFree(port)) return port;
  }
  throw new Error(`no free port in ${from}–${to}`);
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** `count` distinct free ports within [from, to]. */
export async function portsInRange(count: number, from: number, to: number): Promise<number[]> {
  const picked: number[] = [];
  for (let port = from; port <= to && picked.length < count; port++) if (await isFree(port)) picked.push(port);
  if (picked.length < count) throw new Error(`not ${count} free ports in ${from}–${to}`);
  return picked;
}
