import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOrderResponse } from '@facet/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../../lib/paths.ts';
import { assertPortFree } from '../../local/cloud/ports.ts';
import { ClientsApi, waitFor } from '../../local/tools/clients-api.ts';
import { torusStl } from '../../local/tools/sample-models.ts';

/**
 * `npm start` as a person runs it (issue 9, defects 1 and 8): Ctrl-C or SIGTERM stops everything within a few
 * seconds and says so — the workers idle in their long polls or releasing a job in flight — leaving no process
 * (DynamoDB Local in its own group included) and no port behind; killed outright, it takes its children with it;
 * a port already taken is a clear error, not a silent second instance.
 */
const PORTS = 7;

async function freeBase(): Promise<number> {
  for (;;) {
    const base = 30_000 + Math.floor(Math.random() * 2_000) * 10;
    const free = await Promise.all(
      Array.from({ length: PORTS }, (_, i) =>
        assertPortFree(base + i, 'probe').then(
          () => true,
          () => false,
        ),
      ),
    );
    if (free.every(Boolean)) return base;
  }
}

/** Every `npm start` a test began; one a failed test left running is killed (its children are tied to it). */
const started: { child: ChildProcess; exited: Promise<unknown> }[] = [];
afterEach(async () => {
  for (const run of started.splice(0)) {
    if (run.child.exitCode !== null || run.child.signalCode !== null) continue;
    run.child.kill('SIGKILL');
    await run.exited;
  }
});

function start(base: number, dataDir: string, workers = 2) {
  const child = spawn(
    join(repoRoot, 'node_modules/.bin/node'),
    ['--import', 'tsx', 'local/start.ts', '--port-base', String(base), '--data', dataDir, '--workers', String(workers)],
    {
      cwd: repoRoot,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      // INFO: the workers say when their loops run, and how they stopped (idle, finished or released).
      env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'INFO' },
    },
  );
  const output = { text: '' };
  child.stdout?.on('data', (d) => {
    output.text += String(d);
  });
  child.stderr?.on('data', (d) => {
    output.text += String(d);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  started.push({ child, exited });
  return { child, output, exited };
}

/** Up, with every worker's job loop running (so a stop finds them in their long polls, not still loading). */
async function running(run: ReturnType<typeof start>, workers: number): Promise<void> {
  await until('the local cloud', () => run.output.text.includes('Facet is running locally'), 150_000);
  await until(
    'the workers polling',
    () => (run.output.text.match(/calculator started/g) ?? []).length >= workers,
    60_000,
  );
  await new Promise((r) => setTimeout(r, 1000));
}

async function until(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
};

const groupAlive = (child: ChildProcess) => {
  try {
    process.kill(-(child.pid ?? 0), 0);
    return true;
  } catch {
    return false;
  }
};

/** Every process below `pid` (from /proc: DynamoDB Local's java sits in a group of its own). */
function descendants(pid: number): { pid: number; command: string }[] {
  const parentOf = new Map<number, number>();
  for (const name of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parentOf.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const below = (p: number): boolean => {
    const parent = parentOf.get(p);
    return parent === pid || (parent !== undefined && parent > 1 && below(parent));
  };
  return [...parentOf.keys()].filter(below).map((p) => ({
    pid: p,
    command: readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').slice(0, 8).join(' '),
  }));
}

/** Nothing left: no process that was below the start process, none of its group, none of its ports held. */
async function assertAllGone(run: ReturnType<typeof start>, children: { pid: number }[], base: number) {
  await until('every child gone', () => children.every((c) => !alive(c.pid)) && !groupAlive(run.child), 5_000);
  for (let i = 0; i < PORTS; i++) await assertPortFree(base + i, `port ${base + i} after the stop`);
}

const expectDynamoDbAndWorkers = (children: { command: string }[], workers: number) => {
  expect(children.filter((c) => c.command.includes('DynamoDBLocal.jar'))).toHaveLength(1);
  expect(children.filter((c) => c.command.includes('containers/calculator/src/main.ts'))).toHaveLength(workers);
};

describe('npm start: its lifecycle', () => {
  it('stops everything within 5 s of SIGTERM to its process alone, idle workers included, and says so', async () => {
    // Prepare
    const base = await freeBase();
    const run = start(base, await mkdtemp(join(tmpdir(), 'facet-start-')));
    await running(run, 2);
    const children = descendants(run.child.pid ?? 0);
    expectDynamoDbAndWorkers(children, 2);
    // Act
    const signalled = Date.now();
    process.kill(run.child.pid ?? 0, 'SIGTERM');
    const exit = await run.exited;
    // Assess
    const stoppedMs = exit.at - signalled;
    console.log(`npm start stopped ${stoppedMs} ms after SIGTERM (exit ${exit.code})`);
    expect(run.output.text).toMatch(/Stopped in \d+\.\d s\./);
    expect(exit.code).toBe(0);
    expect(stoppedMs).toBeLessThan(5_000);
    await assertAllGone(run, children, base);
  });

  it('on Ctrl-C (SIGINT to its group) releases the job in flight to the queue and stops within 5 s', async () => {
    // Prepare: one worker, busy with a model of ~1M triangles (seconds of work).
    const base = await freeBase();
    const run = start(base, await mkdtemp(join(tmpdir(), 'facet-start-')), 1);
    await running(run, 1);
    const apiUrl = /API \(Clients, \/v1\)\s+(\S+)/.exec(run.output.text)?.[1] ?? '';
    const apiKey = /Demo B2B API key\s+(\S+)/.exec(run.output.text)?.[1] ?? '';
    const api = new ClientsApi(apiUrl, apiKey);
    const model = torusStl(20, 4, 1200, 400);
    const created = await api.request('POST', '/v1/orders', {
      dueDate: '2030-01-31',
      items: [{ alloy: 'au750y', quantity: 1 }],
      file: { name: 'big.stl', size: model.length },
    });
    expect(created.status).toBe(201);
    const { order, upload } = createOrderResponse.parse(created.body);
    const complete = await api.request('POST', upload.completeUrl, {
      parts: await ClientsApi.uploadParts(model, upload),
    });
    expect(complete.status).toBe(202);
    await waitFor(
      'the calculation to start',
      async () =>
        (await api.request('GET', `/v1/orders/${order.id}`)).body?.order?.status === 'calculating' || undefined,
      60_000,
      100,
    );
    const children = descendants(run.child.pid ?? 0);
    expectDynamoDbAndWorkers(children, 1);
    // Act
    const signalled = Date.now();
    process.kill(-(run.child.pid ?? 0), 'SIGINT');
    const exit = await run.exited;
    // Assess
    const stoppedMs = exit.at - signalled;
    console.log(`npm start stopped ${stoppedMs} ms after Ctrl-C with a job in flight (exit ${exit.code})`);
    expect(run.output.text).toMatch(/"message":"stopped".*"how":\["released"\]/);
    expect(run.output.text).toMatch(/Stopped in \d+\.\d s\./);
    expect(exit.code).toBe(0);
    expect(stoppedMs).toBeLessThan(5_000);
    await assertAllGone(run, children, base);
  });

  it('takes its workers and DynamoDB Local with it when it is killed outright (SIGKILL)', async () => {
    // Prepare
    const base = await freeBase();
    const run = start(base, await mkdtemp(join(tmpdir(), 'facet-start-')));
    await running(run, 2);
    const children = descendants(run.child.pid ?? 0);
    expectDynamoDbAndWorkers(children, 2);
    // Act
    process.kill(run.child.pid ?? 0, 'SIGKILL');
    await run.exited;
    // Assess: no orphan keeps a port for the next `npm start` to trip over.
    await assertAllGone(run, children, base);
  });

  it.each([
    [2, 'DynamoDB Local'],
    [0, 'the API'],
  ])('refuses to start when its port %i (%s) is taken, naming it, and leaves nothing running', async (offset, name) => {
    // Prepare: something already holds the port (as a DynamoDB Local left behind would).
    const base = await freeBase();
    const squatter = createServer();
    await new Promise<void>((r) => squatter.listen(base + offset, '127.0.0.1', r));
    try {
      // Act
      const run = start(base, await mkdtemp(join(tmpdir(), 'facet-start-')));
      const exit = await run.exited;
      await until('the whole process group gone', () => !groupAlive(run.child), 10_000);
      // Assess: one clear line naming the port, what wanted it and what holds it; no stack trace.
      expect(exit.code).toBe(1);
      expect(run.output.text).toContain(`Port ${base + offset} (${name}) is already in use by pid ${process.pid}`);
      expect(run.output.text).toContain('another `npm start`');
      expect(run.output.text).not.toMatch(/\n\s+at /);
      for (const i of [0, 1, 2, 3, 4, 5, 6].filter((i) => i !== offset)) {
        await assertPortFree(base + i, `port ${base + i} after the refusal`);
      }
    } finally {
      await new Promise((r) => squatter.close(r));
    }
  });
});
