import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { tenantStore } from '@facet/adapters';
import { sqsClient } from '@facet/adapters/aws-clients';
import type { CalculationJob } from '@facet/contracts';
import { createTenant, issueApiKey, registerApiKey } from '@facet/domain/tenants';
import { stageDefaults } from '../../bin/config.ts';
import { type Emulator, emulatorEnv, startDynamoDbLocal, startS3, startSqsSns } from './emulators.ts';
import { startGateway } from './gateway.ts';
import { startOutboxServer } from './outbox.ts';
import { startPollers } from './pollers.ts';
import { freePort } from './ports.ts';
import { corsXml, ensureResources, type LocalResources, localBucketName } from './resources.ts';
import { scanItems } from './table-scan.ts';
import { LOCAL_USAGE_PLAN_NAME, LocalUsagePlan } from './usage-plan.ts';
import { requeuePendingWebhooks } from './webhook-retries.ts';
import { startWorkers } from './workers.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface LocalCloudOptions {
  /** Where data persists (tables, queues, objects, outbox). */
  readonly dataDir: string;
  /** Wipe `dataDir` first. */
  readonly fresh: boolean;
  /** Calculator processes (the Fargate service's task count). */
  readonly workers: number;
  /** Fixed ports for `npm start`; omitted ones are picked free (tests). */
  readonly ports?: Partial<Record<'api' | 'outbox' | 'dynamodb' | 'sqs' | 's3', number>>;
  readonly log?: (line: string) => void;
  /** Extra environment for handlers and workers (e.g. a shorter webhook retry schedule). */
  readonly env?: Readonly<Record<string, string>>;
}

export interface LocalCloud {
  readonly apiUrl: string;
  readonly outboxUrl: string;
  readonly outboxDir: string;
  /** POST to `<webhookInboxUrl><name>` to see webhooks arrive on the outbox page (a receiver for trying webhooks). */
  readonly webhookInboxUrl: string;
  readonly resources: LocalResources;
  readonly routeTable: { method: string; path: string; fn: string }[];
  readonly demo: { tenantId: string; apiKey: string; sandboxApiKey: string };
  /** The environment every handler and worker gets (names, endpoints). */
  readonly env: Record<string, string>;
  readonly workers: ReturnType<typeof startWorkers>;
  stop(): Promise<void>;
}

/**
 * Brings the whole system up on loopback: emulators, resources from the wiring, the gateway, the SQS pollers,
 * the calculator workers and the outbox. Handlers and workers run unchanged with the real SDK clients; only the
 * `AWS_ENDPOINT_URL_*` variables point them here.
 */
export async function startLocalCloud(options: LocalCloudOptions): Promise<LocalCloud> {
  const log = options.log ?? ((line: string) => console.log(line));
  if (options.fresh) await rm(options.dataDir, { recursive: true, force: true });
  await mkdir(options.dataDir, { recursive: true });
  const port = async (name: keyof NonNullable<LocalCloudOptions['ports']>) =>
    options.ports?.[name] ?? (await freePort());
  const stops: (() => Promise<unknown>)[] = [];

  try {
    const emulators: Emulator[] = await Promise.all([
      startDynamoDbLocal(await port('dynamodb'), join(options.dataDir, 'dynamodb')),
      startSqsSns(await port('sqs')),
      startS3(await port('s3'), join(options.dataDir, 's3'), [
        { name: localBucketName('models'), corsXml: corsXml('models') },
      ]),
    ]);
    for (const e of emulators) stops.unshift(() => e.stop());
    const [dynamodb, sqsSns, s3] = emulators as [Emulator, Emulator, Emulator];

    const apiPort = await port('api');
    // API Gateway's usage plan is emulated by the local gateway, with the limits the dev stage deploys.
    const usagePlan = new LocalUsagePlan(
      stageDefaults.dev?.api ?? { rateLimit: 50, burstLimit: 100, quotaPerDay: 10_000 },
    );
    const awsEnv = {
      ...emulatorEnv({ dynamodb, sqsSns, s3 }),
      AWS_ENDPOINT_URL_API_GATEWAY: `http://127.0.0.1:${apiPort}`,
    };
    Object.assign(process.env, awsEnv);
    const clients = { dynamo: new DynamoDBClient({}), sqs: sqsClient(), sns: new SNSClient({}) };
    const resources = await ensureResources(clients);
    const outboxDir = join(options.dataDir, 'outbox');
    const env: Record<string, string> = {
      ...awsEnv,
      TABLE_NAME: resources.tableName,
      BUCKET_NAME: resources.bucketName,
      S3_FORCE_PATH_STYLE: 'true',
      JOBS_QUEUE_URL: resources.queueUrls.calculationJobs,
      EVENTS_TOPIC_ARN: resources.topicArns.orderEvents,
      USAGE_PLAN_NAME: LOCAL_USAGE_PLAN_NAME,
      MAIL_TRANSPORT: 'outbox',
      MAIL_FROM: 'orders@facet.local',
      OUTBOX_DIR: outboxDir,
      WEBHOOK_QUEUE_URL: resources.queueUrls.webhookNotifications,
      // The local receivers (the outbox's inbox, the tests' servers) are http on 127.0.0.1.
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
      POWERTOOLS_METRICS_DISABLED: 'true',
      ...options.env,
    };
    // Handlers run in this process (like Lambda, one module instance each), so they read this environment.
    Object.assign(process.env, env);

    const demo = await seedDemo(options.dataDir, resources.tableName);
    const requeued = await requeueUnfinished(resources);
    if (requeued) log(`Re-queued ${requeued} calculation(s) left from the last run.`);
    const retrying = await requeuePendingWebhooks(resources);
    if (retrying) log(`Re-queued ${retrying} webhook deliveries still retrying from the last run.`);
    const gateway = await startGateway(ROOT, apiPort, usagePlan);
    stops.unshift(() => new Promise((r) => gateway.server.close(r)));
    const pollers = await startPollers(ROOT, clients.sqs, resources.queueUrls);
    stops.unshift(() => pollers.stop());
    const workers = startWorkers(ROOT, options.workers, env, log);
    stops.unshift(() => workers.stop());
    const outbox = await startOutboxServer(outboxDir, await port('outbox'), join(options.dataDir, 'webhooks'));
    stops.unshift(() => new Promise((r) => outbox.server.close(r)));

    return {
      apiUrl: gateway.url,
      outboxUrl: outbox.url,
      webhookInboxUrl: `${outbox.url}/hooks/`,
      outboxDir,
      resources,
      routeTable: gateway.routeTable,
      demo,
      env,
      workers,
      async stop() {
        for (const stop of stops) await stop().catch((e) => log(`stop: ${String(e)}`));
      },
    };
  } catch (error) {
    for (const stop of stops) await stop().catch(() => undefined);
    throw error;
  }
}

/** The demo company with a live and a sandbox key: created on the first start, the same keys on every later start. */
async function seedDemo(dataDir: string, tableName: string): Promise<LocalCloud['demo']> {
  const file = join(dataDir, 'demo.json');
  const store = tenantStore(tableName);
  type Saved = { tenantId: string; keyId: string; apiKey: string; sandboxKeyId?: string; sandboxApiKey?: string };
  let saved = await readFile(file, 'utf8')
    .then((s) => JSON.parse(s) as Saved)
    .catch(() => undefined);
  if (saved && (await store.getTenant(saved.tenantId))) {
    await registerApiKey(store, saved.tenantId, saved.keyId, saved.apiKey);
    if (saved.sandboxKeyId && saved.sandboxApiKey) {
      await registerApiKey(store, saved.tenantId, saved.sandboxKeyId, saved.sandboxApiKey, 'sandbox');
    }
  } else {
    const tenant = await createTenant(store, {
      name: 'Aurum Demo Jewellers',
      notificationEmail: 'orders@aurum-demo.example',
    });
    const live = await issueApiKey(store, tenant.id, 'live');
    saved = { tenantId: tenant.id, keyId: live.keyId, apiKey: live.apiKey };
  }
  if (!saved.sandboxApiKey) {
    const sandbox = await issueApiKey(store, saved.tenantId, 'sandbox');
    saved = { ...saved, sandboxKeyId: sandbox.keyId, sandboxApiKey: sandbox.apiKey };
  }
  await writeFile(file, JSON.stringify(saved, null, 2));
  return { tenantId: saved.tenantId, apiKey: saved.apiKey, sandboxApiKey: saved.sandboxApiKey ?? '' };
}

/**
 * The queues live in memory (see startSqsSns): jobs of orders that were queued or calculating when the last run
 * stopped are sent again. Duplicates are harmless (leases and conditional commits).
 */
async function requeueUnfinished(resources: LocalResources): Promise<number> {
  let count = 0;
  const unfinished = scanItems(resources.tableName, {
    FilterExpression: 'begins_with(sk, :order) AND #status IN (:queued, :calculating)',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':order': 'ORDER#', ':queued': 'queued', ':calculating': 'calculating' },
  });
  for await (const item of unfinished) {
    const job: CalculationJob = {
      version: 1,
      tenantId: String(item.tenantId),
      orderId: String(item.id),
      correlationId: String(item.correlationId),
    };
    await sqsClient().send(
      new SendMessageCommand({ QueueUrl: resources.queueUrls.calculationJobs, MessageBody: JSON.stringify(job) }),
    );
    count++;
  }
  return count;
}
