import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { startFauxqs } from 'fauxqs';
import S3rver from 's3rver';
import { assertPortFree, freePort, waitForHttp } from './ports.ts';
import { completeUploadMiddleware } from './s3-complete-upload.ts';
import { startS3Front } from './s3-front.ts';
import { listPartsMiddleware } from './s3-list-parts.ts';
import { SigV4Verifier } from './s3-signature.ts';
import { guardS3rverStore } from './s3-store-guard.ts';

/** A running emulator: where it listens and how to stop it. */
export interface Emulator {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/**
 * DynamoDB Local: AWS's own jar, shipped inside the npm package amplify-dynamodb-simulator, run on Debian's Java.
 * It binds every interface, so clients use 127.0.0.1 only. `dataDir` persists tables; without it, in memory.
 */
export async function startDynamoDbLocal(port: number, dataDir?: string): Promise<Emulator> {
  const jarDir = join(
    dirname(createRequire(import.meta.url).resolve('amplify-dynamodb-simulator/package.json')),
    'emulator',
  );
  // DynamoDB Local binds every interface and, finding its port taken, exits while the old one keeps answering.
  await assertPortFree(port, 'DynamoDB Local');
  const storage = dataDir ? ['-dbPath', dataDir] : ['-inMemory'];
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const proc = spawnTied(
    'java',
    [
      '-Xmx512m',
      '-Djava.library.path=./DynamoDBLocal_lib',
      '-jar',
      'DynamoDBLocal.jar',
      '-port',
      String(port),
      ...storage,
      '-disableTelemetry',
    ],
    // Its own process group: a terminal's Ctrl-C reaches `npm start`, which stops it last, once the workers have
    // released their claims in it (it would otherwise die first, with the writes still to come).
    { cwd: jarDir, stdio: ['ignore', 'ignore', 'pipe'], detached: true },
    'SIGKILL',
  );
  let stderr = '';
  proc.stderr?.on('data', (d) => {
    stderr += String(d);
  });
  const spawnError = new Promise<never>((_, reject) =>
    proc.on('error', (e) => reject(new Error(`${NEEDS_JAVA}: ${e.message}`))),
  );
  const endpoint = `http://127.0.0.1:${port}`;
  await Promise.race([waitForHttp(endpoint, 30_000, () => proc.exitCode === null), spawnError]).catch((e) => {
    proc.kill('SIGKILL');
    // Through setpriv, a missing java is setpriv's "failed to execute java".
    if (/failed to execute java/.test(stderr)) throw new Error(`${NEEDS_JAVA}: ${stderr.trim()}`);
    throw new Error(`${(e as Error).message}\n${stderr}`);
  });
  return { endpoint, stop: () => stopChild(proc) };
}

const NEEDS_JAVA = 'DynamoDB Local needs Java 17 (apt-get install openjdk-17-jre-headless)';

/** util-linux's setpriv, which can set the parent-death signal before it executes a command (Linux only). */
const SETPRIV = process.platform === 'linux' ? ['/usr/bin/setpriv', '/bin/setpriv'].find(existsSync) : undefined;

/**
 * Spawns a child that never outlives this process, however it ends: on Linux the kernel sends the child
 * `deathSignal` when this process dies, even by SIGKILL (PR_SET_PDEATHSIG, set by setpriv before it executes the
 * command; the pid stays the child's). Elsewhere, and as a second line, the child is killed when this process
 * exits normally (process.exit, an uncaught error).
 */
export function spawnTied(
  command: string,
  args: readonly string[],
  options: SpawnOptions,
  deathSignal: 'SIGKILL' | 'SIGTERM',
): ChildProcess {
  const proc = SETPRIV
    ? spawn(SETPRIV, ['--pdeathsig', deathSignal.replace(/^SIG/, ''), '--', command, ...args], options)
    : spawn(command, [...args], options);
  const onExit = () => proc.kill('SIGKILL');
  process.once('exit', onExit);
  proc.once('exit', () => process.off('exit', onExit));
  return proc;
}

/**
 * fauxqs: SQS and SNS (SNS→SQS fan-out with filter policies), in memory. Its SQLite persistence (`dataDir`) is
 * not used: with it, ChangeMessageVisibility answers MessageNotInflight for a message just received (fauxqs
 * 2.4.1), which breaks heartbeats and releases. Orders still waiting for a calculation are re-queued at start.
 */
export async function startSqsSns(port: number): Promise<Emulator> {
  const server = await startFauxqs({ port, host: '127.0.0.1', logger: false });
  return { endpoint: `http://127.0.0.1:${server.port}`, stop: () => server.stop() };
}

/**
 * The local S3: s3rver on an internal loopback port (objects as files under `dir`, presigned multipart parts, CORS;
 * ListParts and S3's checks at complete added in front of its router), behind the verifying front on `port`, which
 * refuses what S3 refuses (signatures, expiry, signed headers and lengths). Every client reaches it through the
 * front only.
 */
export async function startS3(
  port: number,
  dir: string,
  buckets: readonly { name: string; corsXml: string }[],
  credentials: { accessKeyId: string; secretAccessKey: string; region: string } = LOCAL_CREDENTIALS,
): Promise<Emulator> {
  await mkdir(dir, { recursive: true });
  const internalPort = await freePort();
  const server = new S3rver({
    port: internalPort,
    address: '127.0.0.1',
    silent: true,
    directory: dir,
    configureBuckets: buckets.map((b) => ({ name: b.name, configs: [b.corsXml] })),
  });
  // Koa composes its middleware at listen: these go in front of s3rver's router (it lacks ListParts and the
  // checks S3 makes at CompleteMultipartUpload).
  server.middleware.unshift(listPartsMiddleware(server.store), completeUploadMiddleware(server.store));
  // And its own assembly of the parts fails as S3 does, never with an unhandled error (issue 9).
  guardS3rverStore(server.store);
  await server.run();
  const front = await startS3Front({
    port,
    upstream: { host: '127.0.0.1', port: internalPort },
    verifier: new SigV4Verifier({
      credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
      region: credentials.region,
    }),
  }).catch(async (error: unknown) => {
    await server.close();
    throw error;
  });
  return {
    endpoint: front.url,
    stop: async () => {
      await front.close();
      await server.close();
    },
  };
}

function stopChild(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => proc.kill('SIGKILL'), 5000);
    proc.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    proc.kill('SIGTERM');
  });
}

/** The SDK's own variables that point every client at the emulators (nothing else in the code knows it is local). */
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', region: 'us-east-1' } as const;

export function emulatorEnv(endpoints: { dynamodb: Emulator; sqsSns: Emulator; s3: Emulator }): Record<string, string> {
  return {
    AWS_REGION: LOCAL_CREDENTIALS.region,
    // s3rver and the S3 front accept only this key (the front verifies signatures with its secret); the other
    // emulators accept any.
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb.endpoint,
    AWS_ENDPOINT_URL_SQS: endpoints.sqsSns.endpoint,
    AWS_ENDPOINT_URL_SNS: endpoints.sqsSns.endpoint,
    AWS_ENDPOINT_URL_S3: endpoints.s3.endpoint,
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
  };
}
