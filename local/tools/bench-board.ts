import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createOrderResponse } from '@facet/contracts';
import { boardView } from '@facet/contracts/operators';
import { toBinaryStl } from '@facet/geometry/encode';
import { authorizers } from '@facet/wiring';
import { torusWith } from '../../packages/geometry/bench/meshes.ts';
import { ROOT, startLocalCloud } from '../cloud/cloud.ts';
import { measureBoard } from './bench-board-client.ts';
import { ClientsApi, waitFor } from './clients-api.ts';
import { seedBoard } from './seed-board.ts';

/**
 * `npm run bench:board` (issue 11): the operators' board with BENCH_BOARD_ORDERS (default 10,000) open orders in
 * the whole local cloud. The orders are written through the order store with their events (as the API's use cases
 * write them), so the outbox publishes them and the projector builds the board the ordinary way; then the board
 * API is timed warm, on its 304 path, and again while both calculator workers are saturated with 1M-triangle jobs.
 * The first render in Chromium is timed when the operators' site and Chromium are there. Asserts nothing: prints.
 */
const ORDERS = Number(process.env.BENCH_BOARD_ORDERS ?? 10_000);
const REQUESTS = Number(process.env.BENCH_BOARD_REQUESTS ?? 1000);
const COMPANIES = 25;

async function main() {
  const cloud = await startLocalCloud({
    dataDir: await mkdtemp(join(tmpdir(), 'facet-bench-board-')),
    fresh: true,
    tablesInMemory: true,
    workers: 2,
    log: () => undefined,
  });
  try {
    Object.assign(process.env, cloud.sdkEnv);
    // Prepare: N open orders, each written with its event (the outbox), projected by the projector function.
    const seedStarted = performance.now();
    await seedBoard(cloud.env.TABLE_NAME ?? '', ORDERS, COMPANIES);
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

    // Act: warm (gzipped as the site asks, and plain JSON), 304, then both again under calculation load.
    const fresh = (requests: number, gzip: boolean) =>
      measureBoard({ url: cloud.apiUrl, token, requests, mode: 'fresh', gzip });
    await fresh(20, true);
    await fresh(20, false);
    const warm = await fresh(REQUESTS, true);
    const warmPlain = await fresh(REQUESTS, false);
    const notModified = await measureBoard({
      url: cloud.apiUrl,
      token,
      requests: REQUESTS,
      mode: 'unchanged',
      gzip: true,
    });
    const loaded = await underLoad(cloud.apiUrl, cloud.demo.apiKey, async () => ({
      gzip: await fresh(REQUESTS, true),
      plain: await fresh(REQUESTS, false),
    }));
    const render = await firstRender(cloud.operatorsSiteUrl, operator);

    const calculating = `2 workers calculating (${loaded.busy} jobs)`;
    const rows = [
      ['board, warm, gzipped (the site)', warm],
      ['board, warm, plain JSON', warmPlain],
      ['board, unchanged (304)', notModified],
      [`board, gzipped, ${calculating}`, loaded.timing.gzip],
      [`board, plain JSON, ${calculating}`, loaded.timing.plain],
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
    const ratio = loaded.timing.gzip.p99 / warm.p99;
    const plainRatio = loaded.timing.plain.p99 / warmPlain.p99;
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

Under load / idle p99: **${ratio.toFixed(2)}×** gzipped, ${plainRatio.toFixed(2)}× plain (goal ≤ 1.5×; goal p99 warm ≤ 50 ms). Under load, the event loop of the
local gateway's thread was ${loaded.loopDelayP99.toFixed(0)} ms late at p99. Under load the board changes about every second
(the calculating cards' progress): the first request after a change renders and gzips the changed buckets of
cards again (the render and gzip columns; ADR 0009). "boards in s": how many distinct boards (ETags) a row was
answered, over how many seconds.
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
    await cloud.stop();
  }
}

/** Keeps both calculator workers busy with 1M-triangle jobs while `measure` runs. */
async function underLoad<T>(apiUrl: string, apiKey: string, measure: () => Promise<T>) {
  const api = new ClientsApi(apiUrl, apiKey);
  const bytes = toBinaryStl(torusWith(1_048_576));
  const ids: string[] = [];
  for (let i = 0; i < 8; i++) {
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
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const timing = await measure();
  delay.disable();
  const states = await Promise.all(
    ids.map(async (id) => (await api.request('GET', `/v1/orders/${id}`)).body.order.status),
  );
  const loopDelayP99 = delay.percentile(99) / 1e6;
  return { timing, busy: states.filter((s) => s !== 'quoted').length, loopDelayP99 };
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
