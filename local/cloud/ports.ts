import { readdir, readFile, readlink } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';

/** Asks the OS for a free loopback port (tests run side by side without clashing). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export async function waitForHttp(url: string, timeoutMs: number, isAlive: () => boolean = () => true): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await fetch(url, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      if (!isAlive()) throw new Error(`${url}: the process exited before it answered`);
      if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Thrown when a port the local cloud needs is taken: names the port, what wanted it and what probably holds it. */
export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    readonly wanted: string,
    readonly holder: string | undefined,
  ) {
    super(
      `Port ${port} (${wanted}) is already in use${holder ? ` by ${holder}` : ''}. Probably another \`npm start\` ` +
        '(or a DynamoDB Local one left behind) is still running: stop it, or start this one on other ports ' +
        '(npm start -- --port-base <n>).',
    );
    this.name = 'PortInUseError';
  }
}

/**
 * Fails fast when `port` is taken on any interface. DynamoDB Local binds every interface and, when its port is
 * taken, exits while the old instance keeps answering: without this check the new cloud silently used the stale
 * instance (issue 9).
 */
export async function assertPortFree(port: number, wanted: string): Promise<void> {
  const probe = createServer();
  await listenOn(probe, port, '0.0.0.0', wanted);
  await new Promise((resolve) => probe.close(resolve));
}

/** `server.listen`, with a taken port reported as a PortInUseError. */
export function listenOn(server: Pick<Server, 'listen' | 'once' | 'off'>, port: number, host: string, wanted: string) {
  return new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EADDRINUSE') return reject(error);
      void portHolder(port).then((holder) => reject(new PortInUseError(port, wanted, holder)));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/**
 * Which process listens on `port`, as "pid 123 (java -jar DynamoDBLocal.jar …)", read from /proc (Linux; elsewhere,
 * or for another user's process, undefined).
 */
export async function portHolder(port: number): Promise<string | undefined> {
  try {
    const inodes = new Set<string>();
    for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
      const text = await readFile(table, 'utf8').catch(() => '');
      for (const line of text.split('\n').slice(1)) {
        const fields = line.trim().split(/\s+/);
        const local = fields[1];
        // State 0A is LISTEN.
        if (local && fields[3] === '0A' && Number.parseInt(local.split(':')[1] ?? '', 16) === port && fields[9]) {
          inodes.add(fields[9]);
        }
      }
    }
    if (inodes.size === 0) return undefined;
    for (const pid of (await readdir('/proc')).filter((name) => /^\d+$/.test(name))) {
      const fds = await readdir(`/proc/${pid}/fd`).catch(() => []);
      for (const fd of fds) {
        const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
        if (inodes.has(/^socket:\[(\d+)\]$/.exec(target)?.[1] ?? '')) {
          const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
          const command = cmdline.split('\0').filter(Boolean).join(' ');
          return `pid ${pid} (${command.length > 100 ? `${command.slice(0, 100)}…` : command})`;
        }
      }
    }
    return undefined;
  } catch {
    return undefined;
  }
}
