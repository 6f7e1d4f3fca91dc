import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authorizers, queues, routes } from '@facet/wiring';
import { lambdaQueueNames } from '@facet/wiring/views';
import { App, Stack } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeAccess } from '../../lib/api/route-access.ts';
import { FacetFunction } from '../../lib/constructs/facet-function.ts';
import { cdkJsonContext } from './synth.ts';

/**
 * Bundles every handler of the wiring exactly as FacetFunction does for deploy (esbuild, ESM, SDK inside) and
 * imports each bundle in a fresh Node 22 process with a valid environment: the bundle loads on its own and exports
 * `handler`. Catches ESM/CommonJS interop and missing-module problems that only show up after bundling.
 */
const handlers = [
  { fn: authorizers.clients.fn, entry: authorizers.clients.entry },
  { fn: authorizers.operators.fn, entry: authorizers.operators.entry },
  ...routes.map((r) => ({ fn: r.fn, entry: r.entry, assets: routeAccess[r.fn].assets })),
  ...lambdaQueueNames.map((q) => ({ fn: queues[q].consumer.fn, entry: queues[q].consumer.entry })),
];
const environment = {
  TABLE_NAME: 'facet-test',
  BUCKET_NAME: 'facet-models-test',
  JOBS_QUEUE_URL: 'https://sqs.eu-central-1.amazonaws.com/123456789012/jobs',
  EVENTS_TOPIC_ARN: 'arn:aws:sns:eu-central-1:123456789012:order-events',
  MAIL_TRANSPORT: 'ses',
  MAIL_FROM: 'orders@facet-jewelry.com',
  WEBHOOK_QUEUE_URL: 'https://sqs.eu-central-1.amazonaws.com/123456789012/webhooks',
  USAGE_PLAN_NAME: 'Facet-dev-Api-clients',
  CALCULATION_DLQ_URL: 'https://sqs.eu-central-1.amazonaws.com/123456789012/jobs-dlq',
  OPERATORS_ISSUER: 'https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_example',
  OPERATORS_CLIENT_ID: 'example-client-id',
} as const;

let outdir: string;
let bundles: Map<string, string>;

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'facet-bundles-'));
  const app = new App({ outdir, context: cdkJsonContext() });
  const stack = new Stack(app, 'Bundles');
  const built = handlers.map(
    (h) =>
      [
        h.fn,
        new FacetFunction(stack, h.fn, {
          fn: h.fn,
          entry: h.entry,
          environment,
          invocation: 'api',
          logRetention: RetentionDays.ONE_DAY,
          ...('assets' in h && h.assets ? { assets: h.assets } : {}),
        }),
      ] as const,
  );
  const assembly = app.synth();
  const template = JSON.parse(readFileSync(join(assembly.directory, 'Bundles.template.json'), 'utf8'));
  bundles = new Map(
    built.map(([fn, f]) => {
      const logicalId = stack.getLogicalId(f.function.node.defaultChild as never);
      const key: string = template.Resources[logicalId].Properties.Code.S3Key;
      return [fn, join(assembly.directory, `asset.${key.replace(/\.zip$/, '')}`, 'index.mjs')];
    }),
  );
}, 110_000);
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('Lambda bundles', () => {
  it.each(handlers.map((h) => h.fn))('%s loads on Node 22 and exports handler', (fn) => {
    const bundle = bundles.get(fn) ?? '';
    const probe = `const m = await import(${JSON.stringify(`file://${bundle}`)}); if (typeof m.handler !== 'function') { console.error('no handler'); process.exit(2); }`;
    const out = execFileSync('node', ['--input-type=module', '-e', probe], {
      env: { PATH: process.env.PATH, AWS_REGION: 'eu-central-1', ...environment },
      stdio: 'pipe',
      encoding: 'utf8',
    });
    expect(out).toBe('');
    const version = execFileSync('node', ['--version'], { encoding: 'utf8', env: { PATH: process.env.PATH } });
    expect(version).toMatch(/^v22\./);
  });

  it('serves the docs page assets from files copied next to the bundle (no node_modules on Lambda)', () => {
    const bundle = bundles.get('ApiDocsAsset') ?? '';
    const probe = `const m = await import(${JSON.stringify(`file://${bundle}`)});
      const r = await m.handler({ pathParameters: { asset: 'swagger-ui-bundle.js' } });
      console.log(r.statusCode, r.body.length);`;
    const out = execFileSync('node', ['--input-type=module', '-e', probe], {
      cwd: tmpdir(),
      env: { PATH: process.env.PATH, AWS_REGION: 'eu-central-1', ...environment },
      encoding: 'utf8',
    });
    const [status, length] = out.trim().split(' ').map(Number);
    expect(status).toBe(200);
    expect(length).toBeGreaterThan(1_000_000);
  });
});
