import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { readConfig } from '../lib/config.ts';
import { applyNagPacks, createFacet } from '../lib/facet-app.ts';

// Under the CLI, CDK_OUTDIR and CDK_CONTEXT_JSON carry the assembly directory and cdk.json's context (plus -c
// values). Run directly (`npx tsx bin/facet.ts`), the app reads cdk.json's context itself and writes cdk.out.
const underCli = process.env.CDK_CONTEXT_JSON !== undefined;
const app = new App({
  outdir: process.env.CDK_OUTDIR ?? 'cdk.out',
  ...(underCli ? {} : { context: JSON.parse(readFileSync(new URL('../cdk.json', import.meta.url), 'utf8')).context }),
});
const config = readConfig((key) => app.node.tryGetContext(key));
createFacet(app, config);
applyNagPacks(app);
app.synth();
