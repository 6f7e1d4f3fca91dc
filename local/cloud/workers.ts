import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { join } from 'node:path';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { spawnTied } from './emulators.ts';

/**
 * How long a job may go on after SIGTERM before the worker releases it (its lease dropped, its message visible
 * again). Fargate allows 90 s; locally Ctrl-C should be quick, and the job runs again at once elsewhere or at the
 * next start.
 */
const LOCAL_STOP_GRACE_SECONDS = 2;
/**
 * Fargate's stop timeout, locally: SIGKILL this long after SIGTERM. A busy worker has released its job by then; an
 * idle one may still be in its long poll (up to 10 s, never aborted).
 */
const STOP_TIMEOUT_MS = 3_000;
/** Past the worker's 10 s long poll: its receive has ended, so no message is taken by a dead connection. */
const POLL_SAFE_STOP_MS = 15_000;
/**
 * util-linux's chrt, to start a calculator under SCHED_IDLE: Linux then preempts it as soon as any ordinary thread
 * wakes (a request reaching the gateway, a handler, an emulator), where nice 19 alone still lets it finish its slice
 * first (EEVDF's run to parity), a few ms on each hop of a request.
 */
const CHRT = process.platform === 'linux' ? ['/usr/bin/chrt', '/bin/chrt'].find(existsSync) : undefined;
/** How the calculators yield the shared cores here (for a benchmark's text and the test that checks it). */
export const CALCULATOR_PRIORITY = CHRT ? 'SCHED_IDLE' : 'nice 19';

/** The fields of /proc/<pid>/stat after the command name: [0] is field 3 (state), [38] field 41 (policy). */
export function procStat(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/**
 * The ECS service, locally: N calculator processes from the same entry as the container. Like ECS keeping the
 * desired count, a worker that dies is replaced; `stop` sends SIGTERM, as Fargate does, waits, and kills what is
 * left after the stop timeout. A worker never outlives this process, even when it is killed (spawnTied: the
 * kernel sends the workers SIGTERM then, and they release their jobs as a stopping task does).
 */
export function startWorkers(root: string, count: number, env: NodeJS.ProcessEnv, log: (line: string) => void) {
  const procs = new Set<ChildProcess>();
  const replacements = new Set<NodeJS.Timeout>();
  let stopping = false;
  const entry = join(root, 'containers/calculator/src/main.ts');

  const launch = (slot: number) => {
    if (stopping) return;
    const node = [process.execPath, '--import', 'tsx', entry];
    const [command = '', ...args] = CHRT ? [CHRT, '--idle', '0', ...node] : node;
    const proc = spawnTied(
      command,
      args,
      {
        cwd: root,
        env: { STOP_GRACE_SECONDS: String(LOCAL_STOP_GRACE_SECONDS), ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
      'SIGTERM',
    );
    procs.add(proc);
    // On AWS the calculator runs on Fargate's cores, never on the API's: locally it yields the shared cores to the
    // gateway and handlers, so a calculation load slows the board no more than it would there (nice 19 where there
    // is no chrt).
    if (proc.pid && !CHRT) setPriority(proc.pid, 19);
    const prefix = `[calculator-${slot}]`;
    proc.stdout?.on('data', (d) => log(`${prefix} ${String(d).trimEnd()}`));
    proc.stderr?.on('data', (d) => log(`${prefix} ${String(d).trimEnd()}`));
    proc.on('exit', (code, signal) => {
      procs.delete(proc);
      if (stopping) return;
      log(`${prefix} exited (${signal ?? code}); starting a replacement`);
      const timer = setTimeout(() => {
        replacements.delete(timer);
        launch(slot);
      }, 500);
      replacements.add(timer);
    });
  };
  for (let i = 1; i <= count; i++) launch(i);

  return {
    pids: () => [...procs].map((p) => p.pid ?? 0),
    /**
     * `withTheQueue`: the whole local cloud stops (its in-memory queue goes too), so idle workers may be killed at
     * once and busy ones after the stop timeout. Without it (the workers stop while the cloud goes on, as in the
     * fault tests) a worker is never killed inside its long poll: a receive cut off there can still take a message
     * that then stays invisible for its whole visibility timeout. SIGKILL only past the poll.
     */
    async stop({ withTheQueue = false }: { withTheQueue?: boolean } = {}): Promise<void> {
      stopping = true;
      for (const timer of replacements) clearTimeout(timer);
      replacements.clear();
      const running = [...procs];
      const stopped = Promise.all(
        running.map(
          (p) =>
            new Promise<void>((resolve) => {
              if (p.exitCode !== null || p.signalCode !== null) return resolve();
              const kill = setTimeout(() => p.kill('SIGKILL'), withTheQueue ? STOP_TIMEOUT_MS : POLL_SAFE_STOP_MS);
              p.once('exit', () => {
                clearTimeout(kill);
                resolve();
              });
              p.kill('SIGTERM');
            }),
        ),
      );
      // With no job in flight there is nothing to release: the workers are idle in their long polls, which would
      // only keep Ctrl-C waiting (up to 10 s), and the queue is in memory and goes too. Killed at once, then.
      if (withTheQueue && (await nothingInFlight(env))) for (const p of running) p.kill('SIGKILL');
      await stopped;
    },
  };
}

/** Whether no calculation job is held by a worker (none received and not yet deleted or released). */
async function nothingInFlight(env: NodeJS.ProcessEnv): Promise<boolean> {
  const { JOBS_QUEUE_URL: queueUrl, AWS_ENDPOINT_URL_SQS: endpoint } = env;
  if (!queueUrl || !endpoint) return false;
  const sqs = new SQSClient({
    region: env.AWS_REGION,
    endpoint,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID ?? '', secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '' },
    useQueueUrlAsEndpoint: false,
    maxAttempts: 1,
  });
  try {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessagesNotVisible'] }),
      { abortSignal: AbortSignal.timeout(500) },
    );
    return Attributes?.ApproximateNumberOfMessagesNotVisible === '0';
  } catch {
    return false;
  } finally {
    sqs.destroy();
  }
}
