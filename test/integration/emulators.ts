import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { sqsClient } from '@facet/adapters/aws-clients';
import { type Emulator, emulatorEnv, startDynamoDbLocal, startS3, startSqsSns } from '../../local/cloud/emulators.ts';
import { freePort } from '../../local/cloud/ports.ts';
import { corsXml, ensureResources, type LocalResources, localBucketName } from '../../local/cloud/resources.ts';

/** The three emulators on free loopback ports, in memory, with the resources of the wiring declaration. */
export async function startEmulators(): Promise<{ resources: LocalResources; stop(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'facet-int-'));
  const emulators: Emulator[] = await Promise.all([
    startDynamoDbLocal(await freePort()),
    startSqsSns(await freePort()),
    startS3(await freePort(), join(dir, 's3'), [{ name: localBucketName('models'), corsXml: corsXml('models') }]),
  ]);
  const [dynamodb, sqsSns, s3] = emulators as [Emulator, Emulator, Emulator];
  Object.assign(process.env, emulatorEnv({ dynamodb, sqsSns, s3 }));
  const resources = await ensureResources({ dynamo: new DynamoDBClient({}), sqs: sqsClient(), sns: new SNSClient({}) });
  return {
    resources,
    async stop() {
      await Promise.all(emulators.map((e) => e.stop()));
    },
  };
}
