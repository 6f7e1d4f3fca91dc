import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createOrderResponse } from '@facet/contracts';
import { toBinaryStl } from '@facet/geometry/encode';
import { ring50k, torusWith } from '../../packages/geometry/bench/meshes.ts';
import { ROOT, startLocalCloud } from '../cloud/cloud.ts';
import { ClientsApi, waitFor } from './clients-api.ts';

/**
 * Worker throughput (issue 4), part of `npm run bench`: the whole local cloud with 1 and then 2 calculator
 * processes, a batch of jobs submitted through the Clients API, timed from the first upload completed to the last
 * order quoted. Jobs per hour per vCPU counts one vCPU per worker process (each calculates on one thread).
 * Environment: BENCH_RING_JOBS (default 12), BENCH_TORUS_JOBS (default 3).
 */
const RING_JOBS = Number(process.env.BENCH_RING_JOBS ?? 12);
const TORUS_JOBS = Number(process.env.BENCH_TORUS_JOBS ?? 3);
const models = [
  { name: '50k ring', jobs: RING_JOBS, bytes: toBinaryStl(ring50k()) },
  { name: '1M torus', jobs: TORUS_JOBS, bytes: toBinaryStl(torusWith(1_048_576)) },
];

interface Row {
  model: string;
  workers: number;
  jobs: number;
  seconds: number;
  jobsPerHour: number;
  jobsPerHourPerVcpu: number;
}

async function measure(workers: number, model: (typeof models)[number]): Promise<Row> {
  const cloud = await startLocalCloud({
    dataDir: await mkdtemp(join(tmpdir(), 'facet-bench-')),
    fresh: true,
    workers,
    log: () => undefined,
  });
  try {
    const api = new ClientsApi(cloud.apiUrl, cloud.demo.apiKey);
    // Let the workers finish booting, so start-up is not counted as throughput.
    await new Promise((r) => setTimeout(r, 4000));
    const prepared: { id: string; complete: () => Promise<unknown> }[] = [];
    for (let i = 0; i < model.jobs; i++) {
      const created = await api.request('POST', '/v1/orders', {
        dueDate: '2030-01-01',
        items: [{ alloy: 'au750y', quantity: 1 }],
        file: { name: 'bench.stl', size: model.bytes.length },
      });
      const { order, upload } = createOrderResponse.parse(created.body);
      const parts = await ClientsApi.uploadParts(model.bytes, upload);
      prepared.push({ id: order.id, complete: () => api.request('POST', upload.completeUrl, { parts }) });
    }
    const started = performance.now();
    for (const p of prepared) await p.complete();
    for (const p of prepared) {
      await waitFor(
        `order ${p.id}`,
        async () => {
          const { body } = await api.request('GET', `/v1/orders/${p.id}`);
          if (body.order.status === 'failed' || body.order.status === 'rejected')
            throw new Error(`${p.id} ${body.order.status}`);
          return body.order.status === 'quoted' ? true : undefined;
        },
        1_800_000,
        200,
      );
    }
    const seconds = (performance.now() - started) / 1000;
    const jobsPerHour = (model.jobs / seconds) * 3600;
    return {
      model: model.name,
      workers,
      jobs: model.jobs,
      seconds,
      jobsPerHour,
      jobsPerHourPerVcpu: jobsPerHour / workers,
    };
  } finally {
    await cloud.stop();
  }
}

// One local cloud per process (SDK clients and handler modules are per process): the parent runs each
// measurement as a child, `bench-throughput.ts MODEL WORKERS`, which prints one JSON row.
const [onlyModel, onlyWorkers] = process.argv.slice(2);
if (onlyModel !== undefined) {
  const model = models.find((m) => m.name === onlyModel);
  if (!model) throw new Error(`unknown model ${onlyModel}`);
  console.log(JSON.stringify(await measure(Number(onlyWorkers), model)));
  process.exit(0);
}

const rows: Row[] = [];
for (const model of models) {
  for (const workers of [1, 2]) {
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), model.name, String(workers)],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const last = child.stdout.trim().split('\n').pop() ?? '';
    if (child.status !== 0 || !last.startsWith('{'))
      throw new Error(`measurement ${model.name} × ${workers} failed:\n${child.stdout}`);
    const row = JSON.parse(last) as Row;
    rows.push(row);
    console.log(
      `${row.model}, ${workers} worker(s): ${row.jobs} jobs in ${row.seconds.toFixed(1)} s → ${row.jobsPerHour.toFixed(0)} jobs/h, ${row.jobsPerHourPerVcpu.toFixed(0)} jobs/h/vCPU`,
    );
  }
}

const table = [
  '| model | workers | jobs | wall s | jobs/hour | jobs/hour/vCPU |',
  '|---|---:|---:|---:|---:|---:|',
  ...rows.map(
    (r) =>
      `| ${r.model} | ${r.workers} | ${r.jobs} | ${r.seconds.toFixed(1)} | ${r.jobsPerHour.toFixed(0)} | ${r.jobsPerHourPerVcpu.toFixed(0)} |`,
  ),
].join('\n');
const section = `<!-- throughput:start -->
## Worker throughput (issue 4)

The whole local cloud (\`local/bench-throughput.ts\`): emulators, API, the calculator as 1 or 2 processes. Jobs are
submitted through the Clients API and timed from the first upload completed to the last order quoted (S3 reads,
DynamoDB commits, events and emails included). Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}; the
emulators and the API share the same cores, so 2 workers on this 2-core machine is an upper bound, not a scale-out.

${table}
<!-- throughput:end -->`;
mkdirSync(join(ROOT, 'bench-out'), { recursive: true });
writeFileSync(join(ROOT, 'bench-out', 'throughput.md'), `${section}\n`);
const file = join(ROOT, 'BENCHMARKS.md');
const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
const next = /<!-- throughput:start -->[\s\S]*<!-- throughput:end -->/.test(current)
  ? current.replace(/<!-- throughput:start -->[\s\S]*<!-- throughput:end -->/, section)
  : `${current.trimEnd()}\n\n${section}\n`;
writeFileSync(file, next);
console.log('wrote the throughput section of BENCHMARKS.md');
