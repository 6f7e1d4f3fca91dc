import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../lib/config.ts';
import { applyNagPacks, createFacet } from '../../lib/facet-app.ts';
import { acknowledgements } from '../../lib/nag.ts';
import { cdkJsonContext, stageContext } from './synth.ts';

interface Ack {
  readonly path: string;
  readonly id: string;
  readonly reason: string;
  readonly scope: IConstruct;
}

/** Our acknowledgements (cdk-nag pack ids), read back from construct metadata. */
function collectAcks(root: IConstruct): Ack[] {
  const acks: Ack[] = [];
  const visit = (c: IConstruct) => {
    for (const entry of c.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [qualified, reason] of Object.entries(entry.data as Record<string, string>)) {
        const id = qualified.replace(/^annotation::/i, '');
        if (/^(AwsSolutions|Serverless)-/.test(id)) acks.push({ path: c.node.path, id, reason, scope: c });
      }
    }
    for (const child of c.node.children) visit(child);
  };
  visit(root);
  return acks;
}

for (const stage of ['dev', 'prod']) {
  describe(`cdk-nag AwsSolutions + Serverless (${stage})`, () => {
    let outdir: string;
    let app: App;
    let synthError: unknown;

    beforeAll(() => {
      outdir = mkdtempSync(join(tmpdir(), 'facet-nag-'));
      app = new App({
        outdir,
        context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [], ...stageContext(stage) },
      });
      createFacet(
        app,
        readConfig((key) => app.node.tryGetContext(key)),
      );
      applyNagPacks(app);
      try {
        app.synth();
      } catch (error) {
        synthError = error;
      }
    });
    afterAll(() => rmSync(outdir, { recursive: true, force: true }));

    it('synthesizes with zero unacknowledged errors and warnings in the validation report', () => {
      const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as {
        pluginReports: { pluginName?: string; violations?: { ruleName: string; severity: string }[] }[];
      };
      const violations = report.pluginReports.flatMap((r) =>
        (r.violations ?? []).map((v) => `${v.severity} ${v.ruleName}`),
      );
      expect(violations).toEqual([]);
      expect(synthError).toBeUndefined();
    });

    it('acknowledges only findings that exist, on the construct that has them', () => {
      // The packs again, with acknowledgements ignored: the raw findings.
      const raw: { rule: string; path: string }[] = [];
      for (const pack of [new AwsSolutionsChecks(), new ServerlessChecks()]) {
        (pack as unknown as { isAcknowledged: () => boolean }).isAcknowledged = () => false;
        for (const v of pack.validateScope(app).violations) {
          for (const r of v.violatingResources) raw.push({ rule: v.ruleName, path: r.constructPath ?? '' });
        }
      }
      expect(raw.length).toBeGreaterThan(0);
      const acks = collectAcks(app);
      const unused = acks.filter(
        (a) => !raw.some((f) => f.rule === a.id && (f.path === a.path || f.path.startsWith(`${a.path}/`))),
      );
      expect(unused.map((a) => `${a.path} ${a.id}`)).toEqual([]);
      const unacknowledged = raw.filter(
        (f) => !acks.some((a) => a.id === f.rule && (f.path === a.path || f.path.startsWith(`${a.path}/`))),
      );
      expect(unacknowledged).toEqual([]);
    });

    it('never acknowledges on a stack or the app, and every reason comes from the catalogue', () => {
      const acks = collectAcks(app);
      const catalogue = new Set<string>(Object.values(acknowledgements).map((a) => a.reason));
      for (const ack of acks) {
        expect(Stack.isStack(ack.scope) || ack.scope === app, `${ack.path} ${ack.id}`).toBe(false);
        expect(catalogue.has(ack.reason), `${ack.path} ${ack.id}: reason not from lib/nag.ts`).toBe(true);
      }
    });
  });
}

describe('acknowledgement catalogue', () => {
  it('has a specific, distinct reason per entry', () => {
    const reasons = Object.values(acknowledgements).map((a) => a.reason);
    expect(new Set(reasons).size).toBe(reasons.length);
    for (const reason of reasons) expect(reason.length).toBeGreaterThan(60);
  });

  it('names concrete rule ids, never a bare pack or a prefix', () => {
    for (const { ids } of Object.values(acknowledgements)) {
      for (const id of ids) expect(id).toMatch(/^(AwsSolutions|Serverless)-[A-Za-z0-9]+(\[.+\])?$/);
    }
  });
});
