import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../lib/paths.ts';
import { assertPortFree } from '../../local/cloud/ports.ts';

/**
 * `npm start` as a person runs it (issue 9, defects 1 and 8): Ctrl-C or SIGTERM to its process group stops
 * everything within a few seconds and says so, leaving no process and no port behind; a port already taken is a
 * clear error, not a silent second instance.
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

function start(base: number, dataDir: string) {
  const child = spawn(
    join(repoRoot, 'node_modules/.bin/node'),
    ['--import', 'tsx', 'local/start.ts', '--port-base', String(base), '--data', dataDir, '--workers', '2'],
    { cwd: repoRoot, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output = { text: '' };
  child.stdout?.on('data', (d) => {
    output.text += String(d);
  });
  child.stderr?.on('data', (d) => {
    output.text += String(d);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output, exited };
}

async function until(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const groupAlive = (child: ChildProcess) => {
  try {
    process.kill(-(child.pid ?? 0), 0);
    return true;
  } catch {
    return false;
  }
};

describe('npm start: its lifecycle', () => {
  it('stops everything on SIGTERM to its process group within a few seconds, and says so', async () => {
    // Prepare
    const base = await freeBase();
    const run = start(base, await mkdtemp(join(tmpdir(), 'facet-start-')));
    await until('the local cloud', () => run.output.text.includes('Facet is running locally'), 150_000);
    // Act
    const signalled = Date.now();
    process.kill(-(run.child.pid ?? 0), 'SIGTERM');
    const code = await run.exited;
    const stoppedMs = Date.now() - signalled;
    await until('the whole process group gone', () => !groupAlive(run.child), 3_000);
    // Assess
    console.log(`npm start stopped ${stoppedMs} ms after SIGTERM (exit ${code})`);
    expect(run.output.text).toMatch(/Stopped (in|after) \d+\.\d s/);
    expect(stoppedMs).toBeLessThan(6_000);
    for (let i = 0; i < PORTS; i++) await assertPortFree(base + i, `port ${base + i} after the stop`);
  });

  it('refuses to start when one of its ports is taken, naming it, and leaves nothing running', async () => {
    // Prepare: something already holds the DynamoDB port (as a DynamoDB Local left behind would).
    const base = await freeBase();
    const squatter = createServer();
    await new Promise<void>((r) => squatter.listen(base + 2, '0.0.0.0', r));
    try {
      // Act
      const run = start(base, await mkdtemp(join(tmpdir(), 'facet-start-')));
      const code = await run.exited;
      await until('the whole process group gone', () => !groupAlive(run.child), 10_000);
      // Assess
      expect(code).toBe(1);
      expect(run.output.text).toContain(`Port ${base + 2} (DynamoDB Local) is already in use`);
      for (const i of [0, 1, 3, 4, 5, 6]) await assertPortFree(base + i, `port ${base + i} after the refusal`);
    } finally {
      await new Promise((r) => squatter.close(r));
    }
  });
});
