import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../lib/paths.ts';
import { cdkJsonContext, stageContext } from './synth.ts';

/**
 * Runs cdk.json's `app` command the way the CDK CLI does (CDK_OUTDIR + CDK_CONTEXT_JSON), offline, with bundling
 * skipped for speed: the entry reads its config, builds the five stacks, runs both cdk-nag packs and writes a cloud
 * assembly. (test/infra/lambda-bundles.test.ts covers bundling.)
 */
const outdir = mkdtempSync(join(tmpdir(), 'facet-app-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('cdk.json app entry', () => {
  it('is `npx tsx bin/facet.ts`', () => {
    expect(JSON.parse(readFileSync(join(repoRoot, 'cdk.json'), 'utf8')).app).toBe('npx tsx bin/facet.ts');
  });

  it.each(['prod'])('synthesizes the %s stage offline with zero nag findings (dev: nag.test.ts)', (stage) => {
    const dir = join(outdir, stage);
    const context = { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [], ...stageContext(stage) };
    execFileSync('npx', ['tsx', 'bin/facet.ts'], {
      cwd: repoRoot,
      env: {
        ...process.env,
        CDK_OUTDIR: dir,
        CDK_CONTEXT_JSON: JSON.stringify(context),
        AWS_REGION: '',
        AWS_PROFILE: '',
      },
      stdio: 'pipe',
    });
    for (const part of ['Data', 'Events', 'Calculation', 'Api', 'Observability']) {
      expect(existsSync(join(dir, `Facet-${stage}-${part}.template.json`)), part).toBe(true);
    }
    const report = JSON.parse(readFileSync(join(dir, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports.flatMap((r: { violations?: unknown[] }) => r.violations ?? [])).toEqual([]);
  });
});
