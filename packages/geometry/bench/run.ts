/**
 * `npm run bench`: generates the meshes into bench-out/ (git-ignored), installs the Debian anchors if missing
 * (admesh, prusa-slicer; everything under `timeout`), runs anchors and ours as whole processes (several runs,
 * medians, peak RSS from /usr/bin/time -v) and writes BENCHMARKS.md at the repository root.
 * Ours runs as users run it (`packages/cli/bin/facet.js`: the CLI bundled by esbuild, on Node 22), not through tsx.
 * Environment: BENCH_RUNS (default 3), BENCH_SKIP_4M=1, BENCH_TIMEOUT (seconds per command, default 300).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { toBinaryStl } from '../src/encode.ts';
import { brokenRing, ring50k, thinRing, torusWith } from './meshes.ts';

const root = resolve(import.meta.dirname, '../../..');
const out = join(root, 'bench-out');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TIMEOUT = Number(process.env.BENCH_TIMEOUT ?? 300);
const SKIP_4M = process.env.BENCH_SKIP_4M === '1';
mkdirSync(out, { recursive: true });
const loadAtStart = loadavg()[0] ?? 0;

const log = (s: string): void => {
  process.stdout.write(`${s}\n`);
};

// 1. Meshes.
const meshes: Array<{ name: string; file: string; make: () => ReturnType<typeof ring50k> }> = [
  { name: 'ring-50k', file: 'ring-50k.stl', make: ring50k },
  { name: 'broken-ring', file: 'broken-ring.stl', make: brokenRing },
  { name: 'thin-ring', file: 'thin-ring.stl', make: thinRing },
  { name: 'torus-1m', file: 'torus-1m.stl', make: () => torusWith(1_048_576) },
  ...(SKIP_4M ? [] : [{ name: 'torus-4m', file: 'torus-4m.stl', make: () => torusWith(4_194_304) }]),
];
for (const m of meshes) {
  const path = join(out, m.file);
  if (!existsSync(path)) {
    writeFileSync(path, toBinaryStl(m.make()));
    log(`generated ${m.file} (${(statSync(path).size / 1048576).toFixed(1)} MB)`);
  }
}

// 2. Anchors.
const have = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
if (!have('admesh') || !have('prusa-slicer')) {
  log('installing admesh and prusa-slicer (apt-get)…');
  spawnSync('timeout', ['600', 'apt-get', 'update'], { stdio: 'inherit' });
  spawnSync('timeout', ['1200', 'apt-get', 'install', '-y', '--no-install-recommends', 'admesh', 'prusa-slicer'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}
const versionOf = (pkg: string): string => {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format placeholder, not a template
  const r = spawnSync('dpkg-query', ['-W', '-f', '${Version}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout ? r.stdout.trim() : 'unknown version';
};
const anchors = {
  admesh: have('admesh') ? versionOf('admesh') : null,
  prusa: have('prusa-slicer') ? versionOf('prusa-slicer') : null,
};

// 3. Our CLI as users run it: packages/cli/bin/facet.js, which runs the CLI bundled by esbuild (its entry turns on
// Node's compile cache) and builds that bundle on first use. One call here builds it, so no run below pays for that.
const facetBin = join(root, 'packages/cli/bin/facet.js');
const warmUp = spawnSync('node', [facetBin, '--help'], { encoding: 'utf8' });
if (warmUp.status !== 0) throw new Error(`facet --help failed: ${warmUp.stderr}`);

// 4. Runner.
interface Sample {
  seconds: number;
  /** User + system CPU seconds: less sensitive than wall time to other load on the machine. */
  cpu: number;
  rssMb: number;
  code: number;
}
const runOnce = (cmd: string[], cwd = out): Sample => {
  const r = spawnSync('/usr/bin/time', ['-v', 'timeout', String(TIMEOUT), ...cmd], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const err = r.stderr ?? '';
  const wall = /Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):(\d+(?:\.\d+)?)/.exec(err);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(err);
  const seconds = wall ? Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]) : Number.NaN;
  const user = /User time \(seconds\): ([\d.]+)/.exec(err);
  const sys = /System time \(seconds\): ([\d.]+)/.exec(err);
  const cpu = Number(user?.[1] ?? Number.NaN) + Number(sys?.[1] ?? Number.NaN);
  return { seconds, cpu, rssMb: rss ? Number(rss[1]) / 1024 : Number.NaN, code: r.status ?? -1 };
};
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};
interface Result {
  label: string;
  mesh: string;
  command: string;
  seconds: number;
  cpu: number;
  rssMb: number;
  runs: number;
  ok: boolean;
}
const results: Result[] = [];
const measure = (label: string, mesh: string, cmd: string[], runs = RUNS, okCodes = [0, 1]): Result => {
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    const s = runOnce(cmd);
    samples.push(s);
    if (s.code === 124) break; // timed out: no point repeating
  }
  const ok = samples.every((s) => okCodes.includes(s.code));
  const r: Result = {
    label,
    mesh,
    command: cmd.join(' ').replaceAll(`${out}/`, '').replaceAll(`${root}/`, ''),
    seconds: median(samples.map((s) => s.seconds)),
    cpu: median(samples.map((s) => s.cpu)),
    rssMb: Math.max(...samples.map((s) => s.rssMb)),
    runs: samples.length,
    ok,
  };
  results.push(r);
  log(
    `${pad(label, 42)} ${pad(mesh, 12)} ${r.seconds.toFixed(2).padStart(7)} s ${r.cpu.toFixed(2).padStart(7)} cpu ${r.rssMb.toFixed(0).padStart(6)} MB${ok ? '' : `  (exit ${samples.map((s) => s.code).join(',')})`}`,
  );
  return r;
};
const pad = (s: string, n: number): string => s.padEnd(n);
const ours = (args: string[]): string[] => ['node', facetBin, 'analyze', ...args];

// 5. The runs.
for (const m of meshes) {
  const f = join(out, m.file);
  const big = m.name === 'torus-4m';
  const runs = big ? Math.min(RUNS, 2) : RUNS;
  if (anchors.admesh) measure('admesh (check, stats)', m.name, ['admesh', f], runs);
  measure('facet --validate-only', m.name, ours([f, '--validate-only', '--json']), runs);
  if (anchors.prusa) measure('prusa-slicer --info', m.name, ['prusa-slicer', '--info', f], runs, [0]);
  measure('facet full report (25 µm)', m.name, ours([f, '--json']), runs);
  if (anchors.prusa && !big) {
    rmSync(join(out, 'out.sl1'), { force: true });
    measure(
      'prusa-slicer --export-sla (25 µm)',
      m.name,
      ['prusa-slicer', '--export-sla', '--layer-height', '0.025', '--output', join(out, 'out.sl1'), f],
      runs,
      [0],
    );
  }
  if (!big) {
    rmSync(join(out, 'layers'), { recursive: true, force: true });
    measure(
      'facet full + layer PNGs (25 µm, 47 µm px)',
      m.name,
      ours([f, '--json', '--layers-dir', join(out, 'layers'), '--pixel', '0.04725']),
      runs,
    );
  }
}

// 6. Our stage profile on the 1M torus (in-process timings from the report).
const profileRun = spawnSync('node', [facetBin, 'analyze', join(out, 'torus-1m.stl'), '--json'], {
  encoding: 'utf8',
  maxBuffer: 64 << 20,
});
let profile = '';
try {
  const report = JSON.parse(profileRun.stdout) as { timings: Record<string, number> };
  profile = Object.entries(report.timings)
    .map(([k, v]) => `| ${k} | ${v.toFixed(0)} |`)
    .join('\n');
} catch {
  profile = '(profile run failed)';
}

// 7. BENCHMARKS.md.
const cpu = cpus()[0]?.model ?? 'unknown';
const lines = results.map(
  (r) =>
    `| ${r.mesh} | ${r.label} | ${r.seconds.toFixed(2)} | ${r.cpu.toFixed(2)} | ${r.rssMb.toFixed(0)} | ${r.runs} | ${r.ok ? '' : 'failed/timeout'} |`,
);
const find = (label: string, mesh: string): Result | undefined =>
  results.find((r) => r.label === label && r.mesh === mesh);
const ratio = (a?: Result, b?: Result): string =>
  a && b && b.seconds > 0 ? `${(a.seconds / b.seconds).toFixed(2)} × wall, ${(a.cpu / b.cpu).toFixed(2)} × CPU` : 'n/a';
const targets = [
  `- Full report, 1M triangles, ≤ 6 s: **${find('facet full report (25 µm)', 'torus-1m')?.seconds.toFixed(2) ?? 'n/a'} s**`,
  `- Parse + weld + validate + metrics ≤ 1.5 × admesh: 1M **${ratio(find('facet --validate-only', 'torus-1m'), find('admesh (check, stats)', 'torus-1m'))}**, 4M **${ratio(find('facet --validate-only', 'torus-4m'), find('admesh (check, stats)', 'torus-4m'))}**`,
  `- Slicing with layer images at 25 µm faster than prusa-slicer --export-sla (ours as a fraction of its time): ring-50k **${ratio(find('facet full + layer PNGs (25 µm, 47 µm px)', 'ring-50k'), find('prusa-slicer --export-sla (25 µm)', 'ring-50k'))}**, thin ring **${ratio(find('facet full + layer PNGs (25 µm, 47 µm px)', 'thin-ring'), find('prusa-slicer --export-sla (25 µm)', 'thin-ring'))}**, 1M **${ratio(find('facet full + layer PNGs (25 µm, 47 µm px)', 'torus-1m'), find('prusa-slicer --export-sla (25 µm)', 'torus-1m'))}**`,
  `- Peak memory ≤ 600 MB at 1M: **${find('facet full report (25 µm)', 'torus-1m')?.rssMb.toFixed(0) ?? 'n/a'} MB** (full report), ${find('facet full + layer PNGs (25 µm, 47 µm px)', 'torus-1m')?.rssMb.toFixed(0) ?? 'n/a'} MB with layer PNGs`,
];
const notesPath = join(root, 'packages/geometry/bench/NOTES.md');
const notes = existsSync(notesPath) ? readFileSync(notesPath, 'utf8') : '';
const md = `# Benchmarks — calculation engine (issue 3)

Generated by \`npm run bench\` on ${new Date().toISOString()}.

- Machine: ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(1)} GB RAM, Node ${process.version}. Other work shared the
  machine (1-minute load average ${loadAtStart.toFixed(1)} at the start, ${(loadavg()[0] ?? 0).toFixed(1)} at the end on 2 cores), so wall
  times are noisy; the CPU column (user + system) is the steadier comparison.
- Anchors: admesh ${anchors.admesh ?? 'not installed'}; PrusaSlicer ${anchors.prusa ?? 'not installed'} (Debian packages).
- Ours: \`node packages/cli/bin/facet.js analyze FILE …\` — what \`npx facet\` runs: the CLI bundled by esbuild (as
  the worker image ships it), built once beforehand, one process per run, single-threaded. Every command runs under \`timeout ${TIMEOUT}\` and \`/usr/bin/time -v\`.
- ${RUNS} runs per case (2 for 4M), median wall time; peak = max RSS over the runs.
- Meshes (binary STL, generated by \`packages/geometry/bench/meshes.ts\`): ${meshes.map((m) => m.name).join(', ')}.

## Results

| mesh | command | median wall s | median CPU s | peak MB | runs | note |
|---|---|---:|---:|---:|---:|---|
${lines.join('\n')}

Commands:

${[...new Set(results.map((r) => `- \`${r.command}\``))].join('\n')}

## Targets (issue 3)

${targets.join('\n')}

## Where the time goes (1M torus, full report, ms per stage, in-process)

| stage | ms |
|---|---:|
${profile}

${notes}
`;
// Keep the worker-throughput section that local/bench-throughput.ts maintains in the same file.
const previous = existsSync(join(root, 'BENCHMARKS.md')) ? readFileSync(join(root, 'BENCHMARKS.md'), 'utf8') : '';
const throughput = /<!-- throughput:start -->[\s\S]*<!-- throughput:end -->/.exec(previous)?.[0];
writeFileSync(join(root, 'BENCHMARKS.md'), throughput ? `${md.trimEnd()}\n\n${throughput}\n` : md);
writeFileSync(join(out, 'results.json'), JSON.stringify({ anchors, results }, null, 2));
log('wrote BENCHMARKS.md');
