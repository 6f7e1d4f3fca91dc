import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { snsClient } from '@facet/adapters/aws-clients';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../local/cloud.ts';
import { localSubscriptions } from '../../local/resources.ts';
import { synthFacet } from '../infra/synth.ts';
import { templateRoutes, templateSubscriptions } from '../infra/template-wiring.ts';

/** DESIGN.md §3: the synthesized template and the local cloud serve the same routes and subscriptions. */
describe('the local cloud and the CDK app serve the same wiring', () => {
  let cloud: LocalCloud;
  beforeAll(async () => {
    cloud = await startLocalCloud({
      dataDir: await mkdtemp(join(tmpdir(), 'facet-parity-')),
      fresh: true,
      workers: 0,
      log: () => undefined,
    });
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('has the same routes, each served by the same function', () => {
    const templates = Object.values(synthFacet().templates);
    const local = [...cloud.routeTable].sort(
      (a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method),
    );
    expect(local).toEqual(templateRoutes(templates));
  });

  it('has the same subscriptions, filters and delivery mode', async () => {
    const templates = Object.values(synthFacet().templates);
    const expected = templateSubscriptions(templates).map((s) => ({
      ...s,
      eventTypes: s.eventTypes ? [...s.eventTypes] : undefined,
    }));
    expect(await localSubscriptions(snsClient(), cloud.resources)).toEqual(expected);
  });
});
