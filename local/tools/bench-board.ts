import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { createOrderResponse } from '@facet/contracts';
import { boardView } from '@facet/contracts/operators';
import { toBinaryStl } from '@facet/geometry/encode';
import { authorizers } from '@facet/wiring';
import { torusWith } from '../../packages/geometry/bench/meshes.ts';
import { type LocalCloud, ROOT, startLocalCloud } from '../cloud/cloud.ts';
import { CALCULATOR_PRIORITY, procStat } from '../cloud/workers.ts';
import { type Samples, startBoardClient, summarize, type Timing } from './bench-board-client.ts';
import { ClientsApi, waitFor } from './clients-api.ts';
import { seedBoard } from './seed-board.ts';

/**
 * `npm run bench:board` (issue 11): the operators' board with BENCH_BOARD_ORDERS (default 10,000) open orders in
 * the whole local cloud. The orders are written through the order store with their events (as the API's use cases
 * write them), so the outbox publishes them and the projector builds the board the ordinary way; then the board
 * API is timed warm, on its 304 path, and then with both calculator workers busy with 1M-triangle jobs, by turns
 * paused and calculating (so the comparison of the two is not the machine's drift between two rows).
 * The first render in Chromium is timed when the operators' site and Chromium are there. Asserts nothing: prints.
 */
const ORDERS = Number(process.env.BENCH_BOARD_ORDERS ?? 10_000);
/** Requests per row: 2,000, so that a p99 is the 20th slowest, not a few of DynamoDB Local's collections. */
const REQUESTS = Number(process.env.BENCH_BOARD_REQUESTS ?? 2000);
const COMPANIES = 25;

async function main() {
  const cloud = await startLocalCloud({
    dataDir: await mkdtemp(join(tmpdir(), 'facet-bench-board-')),
    fresh: true,
    tablesInMemory: true,
    workers: 2,
    log: () => undefined,
  });
  const client = startBoardClient();
  try {
    Object.assign(process.env, cloud.sdkEnv);
    // Prepare: N open orders, each written with its event (the outbox), projected by the projector function.
    const seedStarted = performance.now();
    await seedBoard(
      { tableName: cloud.env.TABLE_NAME ?? '', bucketName: cloud.env.BUCKET_NAME ?? '' },
      ORDERS,
      COMPANIES,
    );
    const seeded = (performance.now() - seedStarted) / 1000;
    const operator = cloud.identity.users.find((u) => u.groups.includes('operators') && !u.groups.includes('admins'));
    if (!operator) throw new Error('the local issuer has no demo operator');
    const { id_token: token } = await cloud.identity.signIn(operator.email, operator.password);
    const board = () => fetch(`${cloud.apiUrl}/ops/board`, { headers: { authorization: `Bearer ${token}` } });
    const projectedStarted = performance.now();
    await waitFor(
      'the projection of every seeded order',
      async () => {
        const view = boardView.parse(await (await board()).json());
        return view.cards.filter((c) => c.orderId.startsWith('ord_bench')).length >= ORDERS ? true : undefined;
      },
      900_000,
      1000,
    );
    const projected = (performance.now() - projectedStarted) / 1000;
    console.log(
      `seeded ${ORDERS} orders in ${seeded.toFixed(1)} s; the board showed all of them ${projected.toFixed(1)} s later`,
    );

    // Act: warm (gzipped as the site asks, and plain JSON), 304, then both in blocks with the calculators paused and
    // calculating by turns.
    const run = (requests: number, gzip: boolean, mode: 'fresh' | 'unchanged' = 'fresh') =>
      client.measure({ url: cloud.apiUrl, token, requests, mode, gzip });
    const fresh = async (requests: number, gzip: boolean) => summarize([await run(requests, gzip)]);
    // Warm-up: the handler's JIT, the client's connection, DynamoDB Local after the seeding's writes.
    await fresh(200, true);
    await fresh(200, false);
    const warm = await fresh(REQUESTS, true);
    const warmPlain = await fresh(REQUESTS, false);
    const notModified = summarize([await run(REQUESTS, true, 'unchanged')]);
    const loaded = await underLoad(cloud, async (pause, loopDelay, cpu) => ({
      gzip: await byTurns(pause, loopDelay, cpu, (n) => run(n, true)),
      plain: await byTurns(pause, loopDelay, cpu, (n) => run(n, false)),
    }));
    const render = await firstRender(cloud.operatorsSiteUrl, operator);

    const calculating = (t: { cores: number; machineBusy: number }) =>
      `2 workers calculating (${t.cores.toFixed(1)} cores busy; machine ${(100 * t.machineBusy).toFixed(0)}% busy)`;
    const rows = [
      ['board, warm, gzipped (the site)', warm],
      ['board, warm, plain JSON', warmPlain],
      ['board, unchanged (304)', notModified],
      ['board, gzipped, calculators paused', loaded.timing.gzip.paused],
      [`board, gzipped, ${calculating(loaded.timing.gzip)}`, loaded.timing.gzip.calculating],
      ['board, plain JSON, calculators paused', loaded.timing.plain.paused],
      [`board, plain JSON, ${calculating(loaded.timing.plain)}`, loaded.timing.plain.calculating],
    ] as const;
    const ms = (v: number | undefined) => (v === undefined ? '–' : v.toFixed(1));
    const table = [
      '| what | p50 ms | p99 ms | max ms | store p99 | render p99 | gzip p99 | on the wire | boards in s |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
      ...rows.map(
        ([what, t]) =>
          `| ${what} | ${ms(t.p50)} | ${ms(t.p99)} | ${ms(t.max)} | ${ms(t.storeP99)} | ${ms(t.renderP99)} | ${ms(t.gzipP99)} | ${(t.wireBytes / 1024).toFixed(0)} KiB | ${t.boards} in ${t.seconds.toFixed(1)} |`,
      ),
    ].join('\n');
    const ratio = (t: { paused: Timing; calculating: Timing }) => (t.calculating.p99 / t.paused.p99).toFixed(2);
    const againstWarm = (loaded.timing.gzip.calculating.p99 / warm.p99).toFixed(2);
    const section = `<!-- board:start -->
## The operators' board (issue 11)

\`npm run bench:board\` (\`local/tools/bench-board.ts\`): the whole local cloud with ${ORDERS.toLocaleString('en')} open orders of
${COMPANIES} companies, written through the order store with their events and projected by the board projector
(seeded in ${seeded.toFixed(0)} s, all on the board ${projected.toFixed(0)} s later). ${REQUESTS} sequential \`GET /ops/board\`
requests per row from a client thread of its own, through the local gateway, the operators' authorizer (its answer kept per token for ${authorizers.operators.cacheSeconds} s, as API Gateway does) and the handler;
"store", "render" and "gzip" are the handler's own time (its \`Server-Timing\`, ms); the rest is the gateway, the
authorizer and the transfer. DynamoDB Local keeps its tables in memory here (the run's data is thrown away).
Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}.

${table}

Calculating / paused p99: **${ratio(loaded.timing.gzip)}×** gzipped, ${ratio(loaded.timing.plain)}× plain (goal ≤ 1.5×; goal p99 warm ≤ 50 ms).
The calculating and paused rows are measured by turns, ${TURNS} blocks of ${Math.ceil(REQUESTS / TURNS)} requests each, the
calculator processes stopped (SIGSTOP) for a paused block and running again for a calculating one, so both see the
same machine, the same cards and the same jobs (against the warm row before any job: ${againstWarm}×); "cores busy":
the calculators' CPU time over the calculating blocks' time; "machine busy": both cores' share not idle over
those blocks (the calculators run under ${CALCULATOR_PRIORITY} and take whatever the board's threads leave, the S3 and SQS emulators' threads at nice 10; ${loaded.busy} of
${JOBS} jobs were still queued or calculating at the end). While
calculating, the event loop of the local gateway's thread was ${loaded.loopDelayP99.toFixed(0)} ms late at p99, and
the board changes about every second (the calculating cards' progress): the first request after a change renders
and gzips the changed buckets of cards again (the render and gzip columns; ADR 0009). "boards in s": how many
distinct boards (ETags) a row was answered, over how many seconds.
First render of the board in Chromium (sign-in done, navigation to the first card drawn): ${render}.
<!-- board:end -->`;
    console.log(section);
    mkdirSync(join(ROOT, 'bench-out'), { recursive: true });
    writeFileSync(join(ROOT, 'bench-out', 'board.md'), `${section}\n`);
    const file = join(ROOT, 'BENCHMARKS.md');
    const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
    const pattern = /<!-- board:start -->[\s\S]*<!-- board:end -->/;
    writeFileSync(
      file,
      pattern.test(current) ? current.replace(pattern, section) : `${current.trimEnd()}\n\n${section}\n`,
    );
    console.log('wrote the board section of BENCHMARKS.md');
  } finally {
    await client.close();
    await cloud.stop();
  }
}

/** Paused and calculating blocks taken by turns: the rows that compare the board idle and under load. */
const TURNS = 5;
/** 1M-triangle jobs queued for the load: enough to keep both workers calculating through every block. */
const JOBS = 24;

/**
 * Keeps both calculator workers busy with 1M-triangle jobs while `measure` runs; `pause` stops and continues the
 * calculator processes (their jobs stay theirs: a block is far shorter than a job's lease).
 */
async function underLoad<T>(
  cloud: LocalCloud,
  measure: (
    pause: (paused: boolean) => Promise<void>,
    loopDelay: IntervalHistogram,
    calculatorCpu: () => number,
  ) => Promise<T>,
) {
  const api = new ClientsApi(cloud.apiUrl, cloud.demo.apiKey);
  const bytes = toBinaryStl(torusWith(1_048_576));
  const ids: string[] = [];
  for (let i = 0; i < JOBS; i++) {
    const created = await api.request('POST', '/v1/orders', {
      dueDate: '2030-01-01',
      items: [{ alloy: 'au750y', quantity: 1 }],
      file: { name: 'load.stl', size: bytes.length },
    });
    const { order, upload } = createOrderResponse.parse(created.body);
    const parts = await ClientsApi.uploadParts(bytes, upload);
    await api.request('POST', upload.completeUrl, { parts });
    ids.push(order.id);
  }
  // Start measuring once both workers are calculating.
  await waitFor(
    'two calculating orders',
    async () => {
      const states = await Promise.all(
        ids.map(async (id) => (await api.request('GET', `/v1/orders/${id}`)).body.order.status),
      );
      return states.filter((s) => s === 'calculating').length >= 2 ? true : undefined;
    },
    120_000,
    200,
  );
  /** The calculator processes' CPU time so far, in seconds (all their threads; Linux's clock ticks are 1/100 s). */
  const cpuSeconds = () =>
    cloud.workers.pids().reduce((sum, pid) => {
      const fields = procStat(pid);
      return sum + (Number(fields[11]) + Number(fields[12])) / 100;
    }, 0);
  const signal = (name: 'SIGSTOP' | 'SIGCONT') => {
    for (const pid of cloud.workers.pids()) process.kill(pid, name);
  };
  const pause = async (paused: boolean) => {
    signal(paused ? 'SIGSTOP' : 'SIGCONT');
    // Paused: what the calculators last sent is projected; running: their progress flows again.
    await delay(1000);
  };
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  let timing: T;
  try {
    timing = await measure(pause, loopDelay, cpuSeconds);
  } finally {
    signal('SIGCONT');
  }
  const states = await Promise.all(
    ids.map(async (id) => (await api.request('GET', `/v1/orders/${id}`)).body.order.status),
  );
  return { timing, busy: states.filter((s) => s !== 'quoted').length, loopDelayP99: loopDelay.percentile(99) / 1e6 };
}

/** TURNS blocks with the calculators paused, each followed by one with them calculating (the loop delay timed). */
async function byTurns(
  pause: (paused: boolean) => Promise<void>,
  loopDelay: IntervalHistogram,
  calculatorCpu: () => number,
  block: (requests: number) => Promise<Samples>,
) {
  const paused: Samples[] = [];
  const calculating: Samples[] = [];
  /** How many cores the calculators kept busy during the calculating blocks (their CPU time over the blocks' time). */
  const load = { cpu: 0, seconds: 0, machineBusy: 0, machineAll: 0 };
  for (let turn = 0; turn < TURNS; turn++) {
    await pause(true);
    paused.push(await block(Math.ceil(REQUESTS / TURNS)));
    await pause(false);
    loopDelay.enable();
    const [cpu, machine, started] = [calculatorCpu(), machineTicks(), performance.now()];
    calculating.push(await block(Math.ceil(REQUESTS / TURNS)));
    load.cpu += calculatorCpu() - cpu;
    const after = machineTicks();
    load.machineBusy += after.busy - machine.busy;
    load.machineAll += after.all - machine.all;
    load.seconds += (performance.now() - started) / 1000;
    loopDelay.disable();
  }
  return {
    paused: summarize(paused),
    calculating: summarize(calculating),
    cores: load.cpu / load.seconds,
    machineBusy: load.machineBusy / load.machineAll,
  };
}

/** The machine's CPU ticks so far, all and busy (everything but idle and I/O wait), from /proc/stat. */
function machineTicks(): { all: number; busy: number } {
  const [, ...ticks] = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).map(Number);
  const all = ticks.slice(0, 8).reduce((a, b) => a + b, 0);
  return { all, busy: all - (ticks[3] ?? 0) - (ticks[4] ?? 0) };
}

/** The board's first render in Chromium, when the site is built and Chromium is installed (else says why not). */
async function firstRender(siteUrl: string, user: { email: string; password: string }): Promise<string> {
  const chromiumPath = '/usr/lib/chromium/chromium';
  if (!existsSync(chromiumPath)) return 'not measured (Chromium is not installed: `bash local/ensure-system.sh`)';
  const { chromium } = await import('playwright-core').catch(() => ({ chromium: undefined }));
  if (!chromium) return 'not measured (playwright-core is not installed)';
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-background-networking'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(siteUrl);
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: /sign in/i }).click();
    await page.locator('[data-testid="board-card"]').first().waitFor({ timeout: 60_000 });
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      await page.reload();
      await page.locator('[data-testid="board-card"]').first().waitFor({ timeout: 60_000 });
      runs.push(performance.now() - started);
    }
    runs.sort((a, b) => a - b);
    return `median **${(runs[2] ?? 0).toFixed(0)} ms** of 5 reloads (min ${(runs[0] ?? 0).toFixed(0)}, max ${(runs[4] ?? 0).toFixed(0)} ms; goal ≤ 1,500 ms)`;
  } finally {
    await browser.close();
  }
}

await main();
process.exit(0);
