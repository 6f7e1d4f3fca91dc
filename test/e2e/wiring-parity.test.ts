import { beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local/cloud/cloud.ts';
import { localSubscriptions } from '../../local/cloud/resources.ts';
import { withLocalCloud } from '../../local/testing/local-cloud.ts';
import { synthFacet } from '../infra/synth.ts';
import { templateRoutes, templateSubscriptions } from '../infra/template-wiring.ts';

/** DESIGN.md §3: the synthesized template and the local cloud serve the same routes and subscriptions. */
describe('the local cloud and the CDK app serve the same wiring', () => {
  let cloud: LocalCloud;
  const suiteCloud = withLocalCloud({
    workers: 0,
    log: () => undefined,
  });
  beforeAll(async () => {
    cloud = suiteCloud();
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
    expect(await localSubscriptions(cloud.clients.sns, cloud.resources)).toEqual(expected);
  });
});
