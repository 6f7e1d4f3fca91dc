import { type ChildProcess, spawn } from 'node:child_process';
import { setPriority } from 'node:os';
import { join } from 'node:path';

/**
 * The ECS service, locally: N calculator processes from the same entry as the container. Like ECS keeping the
 * desired count, a worker that dies is replaced; `stop` sends SIGTERM, as Fargate does, and waits (SIGKILL after
 * 8 s, as Fargate does after its stop timeout).
 */
export function startWorkers(root: string, count: number, env: NodeJS.ProcessEnv, log: (line: string) => void) {
  const procs = new Set<ChildProcess>();
  let stopping = false;
  const entry = join(root, 'containers/calculator/src/main.ts');

  const launch = (slot: number) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', entry], {
      cwd: root,
      // Fargate allows a job 90 s after SIGTERM; locally Ctrl-C should be quick: the job is released to the queue
      // (its lease dropped, the message made visible again) after 3 s, as a task stopping on AWS would.
      env: { STOP_GRACE_SECONDS: '3', ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    procs.add(proc);
    // A worker never outlives the local cloud's process, however that process ends.
    process.once('exit', () => proc.kill('SIGKILL'));
    // On AWS the calculator runs on Fargate's cores, never on the API's: locally it yields the shared cores to the
    // gateway and handlers, so a calculation load slows the board no more than it would there.
    if (proc.pid) setPriority(proc.pid, 10);
    const prefix = `[calculator-${slot}]`;
    proc.stdout?.on('data', (d) => log(`${prefix} ${String(d).trimEnd()}`));
    proc.stderr?.on('data', (d) => log(`${prefix} ${String(d).trimEnd()}`));
    proc.on('exit', (code, signal) => {
      procs.delete(proc);
      if (stopping) return;
      log(`${prefix} exited (${signal ?? code}); starting a replacement`);
      setTimeout(() => launch(slot), 500);
    });
  };
  for (let i = 1; i <= count; i++) launch(i);

  return {
    pids: () => [...procs].map((p) => p.pid ?? 0),
    async stop(): Promise<void> {
      stopping = true;
      await Promise.all(
        [...procs].map(
          (p) =>
            new Promise<void>((resolve) => {
              if (p.exitCode !== null) return resolve();
              const kill = setTimeout(() => p.kill('SIGKILL'), 8_000);
              p.once('exit', () => {
                clearTimeout(kill);
                resolve();
              });
              p.kill('SIGTERM');
            }),
        ),
      );
    },
  };
}
