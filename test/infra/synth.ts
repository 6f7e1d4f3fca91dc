import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { type FacetConfig, readConfig } from '../../lib/config.ts';
import { applyNagPacks, createFacet, type FacetStacks } from '../../lib/facet-app.ts';
import { repoRoot } from '../../lib/paths.ts';

/** Context of a prod synth: prod refuses to synthesize without an alarm destination. */
export const prodContext = { stage: 'prod', alarmEmail: 'ops@facet-jewelry.com' } as const;

/** Context of a stage's synth as a deployer would pass it (prod with its required alarm destination). */
export const stageContext = (stage: string): Record<string, string> =>
  stage === 'prod' ? { ...prodContext } : { stage };

/** cdk.json's context (feature flags included), so tests synthesize exactly what `cdk synth` does. */
export function cdkJsonContext(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(repoRoot, 'cdk.json'), 'utf8')).context;
}

/**
 * A fresh app with bundling skipped (fast; handlers need not build) and the given context overrides. CDK's built-in
 * CloudFormation validation (a WebAssembly linter, most of a synth's time) is off here and on in nag.test.ts and
 * app-entry.test.ts, which synthesize the way `cdk synth` does.
 */
export function testApp(context: Record<string, unknown> = {}): App {
  return new App({
    context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [], ...context },
    builtinCloudFormationValidation: false,
  });
}

export interface Synthesized {
  readonly app: App;
  readonly config: FacetConfig;
  readonly stacks: FacetStacks;
  readonly templates: { readonly [K in keyof FacetStacks]: Template };
}

/** Builds the whole Facet app for a stage (default dev) and returns a Template per stack. */
export function synthFacet(context: Record<string, unknown> = {}, options: { nag?: boolean } = {}): Synthesized {
  const app = testApp(context);
  const config = readConfig((key) => app.node.tryGetContext(key));
  const stacks = createFacet(app, config);
  if (options.nag) applyNagPacks(app);
  const templates = {
    data: Template.fromStack(stacks.data),
    events: Template.fromStack(stacks.events),
    calculation: Template.fromStack(stacks.calculation),
    api: Template.fromStack(stacks.api),
    observability: Template.fromStack(stacks.observability),
  };
  return { app, config, stacks, templates };
}
