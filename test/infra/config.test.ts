import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfig, stageDefaults, wafKeyLimitPerWindow } from '../../lib/config.ts';
import { repoRoot } from '../../lib/paths.ts';

const from = (context: Record<string, unknown>) => readConfig((key) => context[key]);
const alarmEmail = 'ops@facet-jewelry.com';

describe('lib/config.ts', () => {
  it('defaults to dev: scale to zero, ARM64 on demand, data destroyable', () => {
    const config = from({});
    expect(config).toMatchObject({
      stage: 'dev',
      retainData: false,
      worker: { minTasks: 0, spot: false, cpuArchitecture: 'arm64' },
    });
    expect(config.alarmEmail).toBeUndefined();
    expect(config.account).toBeUndefined();
  });

  it('prod keeps a floor of one worker and retains data', () => {
    expect(from({ stage: 'prod', alarmEmail })).toMatchObject({ retainData: true, worker: stageDefaults.prod?.worker });
  });

  it('context overrides single values, parsing numbers, booleans and lists', () => {
    const config = from({
      'worker.maxTasks': '12',
      'worker.spot': 'false',
      alarmEmail: 'ops@facet-jewelry.com',
      uploadOrigins: '["https://shop.facet-jewelry.com"]',
    });
    expect(config.worker).toMatchObject({ maxTasks: 12, spot: false });
    expect(config.alarmEmail).toBe('ops@facet-jewelry.com');
    expect(config.uploadOrigins).toEqual(['https://shop.facet-jewelry.com']);
    expect(from({ 'api.waf.enabled': 'true' }).api.waf.enabled).toBe(true);
    expect(from({ stage: 'prod', alarmEmail, 'api.waf.enabled': 'false' }).api.waf.enabled).toBe(false);
  });

  it('rejects wrong values naming each field', () => {
    expect(() => from({ alarmEmail: 'nope', 'worker.cpu': '3000' })).toThrow(
      /alarmEmail.*worker\.cpu|worker\.cpu.*alarmEmail/,
    );
    expect(() => from({ 'worker.minTasks': '4', 'worker.maxTasks': '2' })).toThrow(/minTasks/);
    expect(() => from({ stage: 'Prod!' })).toThrow(/stage/);
  });

  it('splits the API throttle: the stage (all callers together) above the plan (one company)', () => {
    const config = from({ 'api.plan.rateLimit': '20', 'api.stage.burstLimit': '3000' });
    expect(config.api.plan).toMatchObject({ rateLimit: 20, burstLimit: 100 });
    expect(config.api.stage).toMatchObject({ rateLimit: 1_000, burstLimit: 3_000 });
    expect(() => from({ 'api.stage.rateLimit': '50' })).toThrow(/api\.stage\.rateLimit \(50\) must exceed api\.plan/);
    expect(() => from({ 'api.plan.burstLimit': '2000' })).toThrow(/api\.stage\.burstLimit .* must exceed/);
    expect(() => from({ 'api.stage.rateLimit': '20000' })).toThrow(/account limit/);
    expect(() => from({ 'api.stage.burstLimit': '6000' })).toThrow(/account limit/);
    // The old flat keys would otherwise be ignored without a word.
    expect(() => from({ 'api.rateLimit': '100' })).toThrow(/api\.rateLimit is now api\.stage\.rateLimit/);
  });

  it('sizes the WAF from the plan: one key well above its plan, one address at least one key', () => {
    const { api } = from({ stage: 'prod', alarmEmail });
    expect(wafKeyLimitPerWindow(api)).toBe(2 * (50 * 60 + 100));
    expect(wafKeyLimitPerWindow(api)).toBeGreaterThanOrEqual(api.plan.rateLimit * api.waf.windowSeconds);
    expect(api.waf.ipRequestsPerWindow).toBeGreaterThanOrEqual(wafKeyLimitPerWindow(api));
    expect(() => from({ 'api.waf.ipRequestsPerWindow': '6000' })).toThrow(
      /below one API key's limit \(6200 per 60 s\)/,
    );
    expect(() => from({ 'api.waf.windowSeconds': '90' })).toThrow(/api\.waf\.windowSeconds/);
    expect(() => from({ 'api.waf.keyHeadroom': '1' })).toThrow(/api\.waf\.keyHeadroom/);
    expect(() => from({ 'api.waf': 'true' })).toThrow(/api\.waf is now api\.waf\.enabled/);
    expect(() => from({ 'api.wafRateLimitPer5Minutes': '2000' })).toThrow(/ipRequestsPerWindow/);
  });

  it('refuses prod without an alarm destination (an unsubscribed alarm topic notifies nobody)', () => {
    expect(() => from({ stage: 'prod' })).toThrow(/stage "prod": alarms need a destination; pass -c alarmEmail/);
    expect(from({ stage: 'prod', alarmEmail }).alarmEmail).toBe(alarmEmail);
    // A stage default, not something a deploy can switch off.
    expect(() => from({ stage: 'prod', alarmDestinationRequired: 'false' })).toThrow(/alarmEmail/);
    expect(from({}).alarmEmail).toBeUndefined();
  });

  it('refuses Fargate Spot with an ARM64 task (FARGATE_SPOT runs only X86_64 Linux tasks)', () => {
    expect(() => from({ 'worker.spot': 'true' })).toThrow(/worker\.spot needs worker\.cpuArchitecture=x86_64/);
    expect(() => from({ stage: 'prod', alarmEmail, 'worker.spot': 'true' })).toThrow(/X86_64/);
    expect(from({ 'worker.spot': 'true', 'worker.cpuArchitecture': 'x86_64' }).worker).toMatchObject({
      spot: true,
      cpuArchitecture: 'x86_64',
    });
    expect(() => from({ 'worker.cpuArchitecture': 'arm' })).toThrow(/worker\.cpuArchitecture/);
  });

  it('keeps the worker size valid for Fargate and for its concurrent engine threads', () => {
    expect(() => from({ 'worker.cpu': '1024', 'worker.memoryMiB': '16384' })).toThrow(/not valid for 1024/);
    expect(() => from({ 'worker.concurrency': '2' })).toThrow(/per concurrent job/);
    for (const stage of Object.keys(stageDefaults)) expect(() => from({ stage, alarmEmail })).not.toThrow();
  });

  it('lives below the stacks: nothing in lib/ imports from bin/ (the app entry)', () => {
    const dir = join(repoRoot, 'lib');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    expect(files).toContain('config.ts');
    const offenders = files.filter((f) => /from '(\.\.\/)+bin\//.test(readFileSync(join(dir, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
