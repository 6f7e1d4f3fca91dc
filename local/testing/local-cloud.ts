import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { type LocalCloud, type LocalCloudOptions, startLocalCloud } from '../cloud/cloud.ts';

export type SuiteCloudOptions = Partial<Omit<LocalCloudOptions, 'dataDir' | 'fresh'>>;

/**
 * One local cloud for a whole suite: started fresh in a temporary directory before the suite's first test, stopped
 * after its last. Options may be computed (e.g. ports picked in that `beforeAll`). Returns an accessor (the cloud exists only once `beforeAll` has run).
 */
export function withLocalCloud(options: SuiteCloudOptions | (() => Promise<SuiteCloudOptions>) = {}): () => LocalCloud {
  let cloud: LocalCloud | undefined;
  beforeAll(async () => {
    cloud = await startLocalCloud({
      workers: 1,
      log: () => undefined,
      ...(typeof options === 'function' ? await options() : options),
      dataDir: await mkdtemp(join(tmpdir(), 'facet-suite-')),
      fresh: true,
    });
    // The suite's own SDK clients (adapters' defaults, read from the environment) reach this cloud. Test support
    // only: every suite runs in a process of its own, and the cloud itself reads and writes no process.env.
    Object.assign(process.env, cloud.sdkEnv);
  });
  afterAll(async () => {
    await cloud?.stop();
  });
  return () => {
    if (!cloud) throw new Error('the local cloud is not started yet: use it inside a test or a later beforeAll');
    return cloud;
  };
}
