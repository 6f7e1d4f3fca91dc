import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ScaleInProtection } from './scale-in-protection.ts';

/** A stand-in for the ECS agent's task-protection endpoint, on loopback. */
async function fakeAgent(status = 200) {
  const calls: unknown[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      calls.push({ method: req.method, url: req.url, body: JSON.parse(body) });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(status === 200 ? { protection: {} } : { failure: { Reason: 'nope' } }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { calls, uri: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

let close: (() => void) | undefined;
afterEach(() => close?.());

describe('ScaleInProtection', () => {
  it('protects while any job runs and drops protection after the last, on success and on error', async () => {
    const agent = await fakeAgent();
    close = agent.close;
    const protection = new ScaleInProtection(agent.uri, () => undefined, 60);
    let release!: () => void;
    const first = protection.during(() => new Promise<void>((r) => (release = r)));
    const second = protection.during(async () => {
      throw new Error('job failed');
    });
    await expect(second).rejects.toThrow('job failed');
    release();
    await first;
    await protection.settled();
    expect(agent.calls).toEqual([
      { method: 'PUT', url: '/task-protection/v1/state', body: { ProtectionEnabled: true, ExpiresInMinutes: 60 } },
      { method: 'PUT', url: '/task-protection/v1/state', body: { ProtectionEnabled: false } },
    ]);
  });

  it('is a no-op without an agent, and logs instead of failing a job when the agent refuses', async () => {
    expect(await new ScaleInProtection(undefined, () => undefined).during(async () => 7)).toBe(7);
    const agent = await fakeAgent(400);
    close = agent.close;
    const logged: string[] = [];
    const protection = new ScaleInProtection(agent.uri, (m) => logged.push(m));
    expect(await protection.during(async () => 'ok')).toBe('ok');
    await protection.settled();
    expect(logged).toEqual(['task protection refused', 'task protection refused']);
  });
});
