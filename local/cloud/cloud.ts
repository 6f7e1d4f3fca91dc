import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { DynamoTenantStore } from '@facet/adapters/dynamo-tenant-store';
import { createTenant, issueApiKey, registerApiKey } from '@facet/domain/tenants';
import {
  type Audience,
  authorizers,
  queues,
  routes,
  type StreamName,
  siteSecurityHeaderMap,
  sites,
  streams,
} from '@facet/wiring';
import type { DynamoDBBatchResponse } from 'aws-lambda';
import { stageDefaults } from '../../lib/config.ts';
import { startEmulatorThread } from './emulator-thread.ts';
import { type Emulator, emulatorEnv, startDynamoDbLocal } from './emulators.ts';
import { startGateway } from './gateway.ts';
import { type LocalIdentity, startLocalIdentity } from './identity/issuer.ts';
import { type LambdaGroup, startLambdaHost } from './lambda-host.ts';
import { startOutboxServer } from './outbox.ts';
import { startPollers } from './pollers.ts';
import { freePort } from './ports.ts';
import { corsXml, ensureResources, type LocalResources, localBucketName } from './resources.ts';
import { type LocalClients, localClients, type SdkEnv } from './sdk-clients.ts';
import { startSiteServer } from './site-server.ts';
import { startStreamPoller } from './stream-poller.ts';
import { LOCAL_USAGE_PLAN_NAME, LocalUsagePlan } from './usage-plan.ts';
import { requeuePendingWebhooks } from './webhook-retries.ts';
import { startWorkers } from './workers.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface LocalCloudOptions {
  /** Where data persists (tables, queues, objects, outbox). */
  readonly dataDir: string;
  /** Wipe `dataDir` first. */
  readonly fresh: boolean;
  /**
   * Keep the tables in memory only (a run whose data is thrown away, e.g. a benchmark): DynamoDB Local's tables
   * on disk are one SQLite file, where a read waits behind every write's sync; DynamoDB's do not.
   */
  readonly tablesInMemory?: boolean;
  /** Calculator processes (the Fargate service's task count). */
  readonly workers: number;
  /** Fixed ports for `npm start`; omitted ones are picked free (tests). */
  readonly ports?: Partial<Record<'api' | 'outbox' | 'dynamodb' | 'sqs' | 's3' | 'site' | 'identity', number>>;
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
  /** The operators' MES site (its /ops calls go to the gateway, as CloudFront sends them on AWS). */
  readonly operatorsSiteUrl: string;
  /** The local stand-in for the Cognito user pool: its demo users, and tokens without a browser. */
  readonly identity: LocalIdentity;
  /** The environment every handler and worker gets (names, endpoints). */
  readonly env: Record<string, string>;
  /** Just the SDK's settings that reach this cloud's emulators (what a test's own clients need). */
  readonly sdkEnv: SdkEnv;
  /** This cloud's own SDK clients. */
  readonly clients: LocalClients;
  readonly workers: ReturnType<typeof startWorkers>;
  stop(): Promise<void>;
}

/**
 * Brings the whole system up on loopback: emulators, resources from the wiring, the Lambda runtime thread, the
 * gateway, the SQS and stream pollers, the calculator workers and the outbox. Handlers and workers run unchanged
 * with the real SDK clients; only the `AWS_ENDPOINT_URL_*` variables of their environment point them here. This
 * process's own environment is left alone (two local clouds can share a process).
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
      startDynamoDbLocal(
        await port('dynamodb'),
        options.tablesInMemory ? undefined : join(options.dataDir, 'dynamodb'),
      ),
      startEmulatorThread({ kind: 'sqs', port: await port('sqs') }),
      startEmulatorThread({
        kind: 's3',
        port: await port('s3'),
        dir: join(options.dataDir, 's3'),
        buckets: [{ name: localBucketName('models'), corsXml: corsXml('models') }],
      }),
    ]);
    for (const e of emulators) stops.unshift(() => e.stop());
    const [dynamodb, sqsSns, s3] = emulators as [Emulator, Emulator, Emulator];

    const apiPort = await port('api');
    const sitePort = await port('site');
    const siteOrigins = [`http://127.0.0.1:${sitePort}`, `http://localhost:${sitePort}`];
    const identity = await startLocalIdentity({
      dataDir: options.dataDir,
      port: await port('identity'),
      redirectUris: siteOrigins.flatMap((o) => [`${o}/callback`, `${o}/`]),
      log,
    });
    stops.unshift(() => identity.stop());
    // API Gateway's usage plan is emulated by the local gateway, with the limits the dev stage deploys.
    const usagePlan = new LocalUsagePlan(
      stageDefaults.dev?.api.plan ?? { rateLimit: 50, burstLimit: 100, quotaPerDay: 10_000 },
    );
    const sdkEnv = emulatorEnv({ dynamodb, sqsSns, s3 }) as Record<string, string> & SdkEnv;
    const awsEnv = { ...sdkEnv, AWS_ENDPOINT_URL_API_GATEWAY: `http://127.0.0.1:${apiPort}` };
    const clients = localClients(sdkEnv);
    const resources = await ensureResources(clients);
    const outboxDir = join(options.dataDir, 'outbox');
    const env: Record<string, string> = {
      ...awsEnv,
      TABLE_NAME: resources.tableName,
      BUCKET_NAME: resources.bucketName,
      S3_FORCE_PATH_STYLE: 'true',
      JOBS_QUEUE_URL: resources.queueUrls.calculationJobs,
      CALCULATION_DLQ_URL: resources.dlqUrls.calculationJobs,
      EVENTS_TOPIC_ARN: resources.topicArns.orderEvents,
      USAGE_PLAN_NAME: LOCAL_USAGE_PLAN_NAME,
      MAIL_TRANSPORT: 'outbox',
      MAIL_FROM: 'orders@facet.local',
      OUTBOX_DIR: outboxDir,
      WEBHOOK_QUEUE_URL: resources.queueUrls.webhookNotifications,
      // The local receivers (the outbox's inbox, the tests' servers) are http on 127.0.0.1.
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      OPERATORS_ISSUER: identity.issuerUrl,
      OPERATORS_CLIENT_ID: identity.clientId,
      OPERATORS_JWKS_URI: identity.jwksUri,
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
      POWERTOOLS_METRICS_DISABLED: 'true',
      ...options.env,
    };
    const demo = await seedDemo(options.dataDir, new DynamoTenantStore(clients.documents, resources.tableName));
    const retrying = await requeuePendingWebhooks(clients, resources);
    if (retrying) log(`Re-queued ${retrying} webhook deliveries still retrying from the last run.`);
    const host = await startLambdaHost(ROOT, env, lambdaGroups());
    stops.unshift(() => host.stop());
    const gateway = await startGateway(host, apiPort, usagePlan);
    stops.unshift(() => new Promise((r) => gateway.server.close(r)));
    const pollers = await startPollers(host, clients.sqs, resources.queueUrls);
    stops.unshift(() => pollers.stop());
    for (const name of Object.keys(streams) as StreamName[]) {
      const decl = streams[name];
      const poller = startStreamPoller({
        name,
        decl,
        tableName: resources.tableName,
        dynamo: clients.dynamo,
        streams: clients.streams,
        invoke: (event) => host.invoke<DynamoDBBatchResponse | undefined>(decl.consumer.entry, decl.consumer.fn, event),
        onGiveUp: async (failure) => {
          await clients.sqs.send(
            new SendMessageCommand({
              QueueUrl: resources.streamFailureQueueUrls[name],
              MessageBody: JSON.stringify({ stream: name, ...failure }),
            }),
          );
        },
        log,
      });
      stops.unshift(() => poller.stop());
    }
    const workers = startWorkers(ROOT, options.workers, env, log);
    stops.unshift(() => workers.stop({ withTheQueue: true }));
    const outbox = await startOutboxServer(outboxDir, await port('outbox'), join(options.dataDir, 'webhooks'));
    stops.unshift(() => new Promise((r) => outbox.server.close(r)));

    const site = await startSiteServer({
      root: await operatorsSiteDist(log),
      port: sitePort,
      apiUrl: gateway.url,
      apiPrefixes: sites.operators.apiPrefixes,
      config: {
        apiUrl: '',
        authority: identity.issuerUrl,
        clientId: identity.clientId,
        logoutUrl: `${identity.issuerUrl}/logout`,
      },
      headers: siteSecurityHeaderMap({ connect: [identity.issuerUrl, s3.endpoint], img: [s3.endpoint] }),
      log,
    });
    stops.unshift(() => new Promise((r) => site.server.close(r)));

    return {
      apiUrl: gateway.url,
      operatorsSiteUrl: site.url,
      identity,
      outboxUrl: outbox.url,
      webhookInboxUrl: `${outbox.url}/hooks/`,
      outboxDir,
      resources,
      routeTable: gateway.routeTable,
      demo,
      env,
      sdkEnv,
      clients,
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
async function seedDemo(dataDir: string, store: DynamoTenantStore): Promise<LocalCloud['demo']> {
  const file = join(dataDir, 'demo.json');
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
 * Every function the wiring names, in the threads they share locally: each audience's routes with its authorizer
 * (the public routes with the clients'), and the event consumers (queues, streams) apart from both.
 */
function lambdaGroups(): LambdaGroup[] {
  const audience = (a: Audience) => routes.filter((r) => r.audience === a).map(({ fn, entry }) => ({ fn, entry }));
  return [
    { name: 'clients', functions: [...audience('clients'), ...audience('public'), authorizers.clients] },
    { name: 'operators', functions: [...audience('operators'), authorizers.operators] },
    {
      name: 'events',
      functions: [
        ...Object.values(queues).flatMap((q) => (q.consumer.kind === 'lambda' ? [q.consumer] : [])),
        ...Object.values(streams).map((s) => s.consumer),
      ],
    },
  ];
}

/** The operators' site build (rebuilt when its sources changed since the last build). */
async function operatorsSiteDist(log: (line: string) => void): Promise<string> {
  const builder = join(ROOT, 'web/operators/build-site.ts');
  if (!(await stat(builder).catch(() => undefined))) return join(ROOT, 'web/operators/dist');
  const { ensureOperatorsSiteBuilt } = (await import(pathToFileURL(builder).href)) as {
    ensureOperatorsSiteBuilt(log?: (line: string) => void): Promise<string>;
  };
  return ensureOperatorsSiteBuilt(log);
}
