import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import {
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  ListSubscriptionsByTopicCommand,
  type SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient, TagQueueCommand } from '@aws-sdk/client-sqs';
import {
  buckets,
  type QueueName,
  queues,
  type StreamName,
  streams,
  subscriptions,
  type TopicName,
  tables,
  topics,
} from '@facet/wiring';

/** Physical names of the local resources, all built from the wiring declaration. */
export interface LocalResources {
  readonly tableName: string;
  readonly bucketName: string;
  readonly queueUrls: Record<QueueName, string>;
  readonly dlqUrls: Record<QueueName, string>;
  readonly topicArns: Record<TopicName, string>;
  /** Where a stream's consumer puts what it gave up on (Lambda's on-failure destination). */
  readonly streamFailureQueueUrls: Record<StreamName, string>;
}

const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
export const localBucketName = (name: keyof typeof buckets) => `facet-${kebab(name)}`;

/** The bucket's CORS, as s3rver reads it at start: browsers PUT presigned parts and must read the ETag. */
export function corsXml(name: keyof typeof buckets): string {
  const expose = buckets[name].corsExposeHeaders.map((h) => `<ExposeHeader>${h}</ExposeHeader>`).join('');
  return `<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod><AllowedMethod>HEAD</AllowedMethod><AllowedHeader>*</AllowedHeader>${expose}<MaxAgeSeconds>3000</MaxAgeSeconds></CORSRule></CORSConfiguration>`;
}

/** Creates (or finds) every table, queue, topic and subscription. Safe to run on every start. */
export async function ensureResources(clients: {
  dynamo: DynamoDBClient;
  sqs: SQSClient;
  sns: SNSClient;
}): Promise<LocalResources> {
  const tableName = await ensureTable(clients.dynamo);
  const queueUrls = {} as Record<QueueName, string>;
  const dlqUrls = {} as Record<QueueName, string>;
  const queueArns = {} as Record<QueueName, string>;
  for (const [name, decl] of Object.entries(queues) as [QueueName, (typeof queues)[QueueName]][]) {
    // Tagged as in lib/ (facet:queue, facet:dead-letter-of), so `npm run dlq` finds them the same way on AWS.
    const dlq = await createQueue(
      clients.sqs,
      `facet-${kebab(name)}-dlq`,
      { MessageRetentionPeriod: String(14 * 24 * 3600) },
      { 'facet:dead-letter-of': name },
    );
    const dlqArn = await queueArn(clients.sqs, dlq);
    const url = await createQueue(
      clients.sqs,
      `facet-${kebab(name)}`,
      {
        VisibilityTimeout: String(decl.visibilityTimeoutSeconds),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: decl.maxReceiveCount }),
      },
      { 'facet:queue': name },
    );
    queueUrls[name] = url;
    dlqUrls[name] = dlq;
    queueArns[name] = await queueArn(clients.sqs, url);
  }
  const topicArns = {} as Record<TopicName, string>;
  for (const name of Object.keys(topics) as TopicName[]) {
    const { TopicArn } = await clients.sns.send(new CreateTopicCommand({ Name: `facet-${kebab(name)}` }));
    if (!TopicArn) throw new Error(`topic ${name} has no ARN`);
    topicArns[name] = TopicArn;
  }
  for (const sub of subscriptions) {
    const topicArn = topicArns[sub.topic];
    const existing = await clients.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }));
    if (existing.Subscriptions?.some((s) => s.Endpoint === queueArns[sub.queue])) continue;
    await clients.sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'sqs',
        Endpoint: queueArns[sub.queue],
        // Raw delivery, as in lib/: consumers get the event itself, not SNS's envelope.
        Attributes: {
          RawMessageDelivery: 'true',
          ...('eventTypes' in sub ? { FilterPolicy: JSON.stringify({ type: sub.eventTypes }) } : {}),
        },
      }),
    );
  }
  const streamFailureQueueUrls = {} as Record<StreamName, string>;
  for (const name of Object.keys(streams) as StreamName[]) {
    streamFailureQueueUrls[name] = await createQueue(
      clients.sqs,
      `facet-${kebab(name)}-stream-failures`,
      { MessageRetentionPeriod: String(14 * 24 * 3600) },
      { 'facet:dead-letter-of': `stream:${name}` },
    );
  }
  return { tableName, bucketName: localBucketName('models'), queueUrls, dlqUrls, topicArns, streamFailureQueueUrls };
}

async function ensureTable(dynamo: DynamoDBClient): Promise<string> {
  const t = tables.main;
  const name = 'facet-main';
  const stream = { StreamEnabled: true, StreamViewType: t.stream };
  try {
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: name }));
    // A table kept from a run before the outbox had no stream.
    if (!Table?.StreamSpecification?.StreamEnabled) {
      await dynamo.send(new UpdateTableCommand({ TableName: name, StreamSpecification: stream }));
    }
    return name;
  } catch (e) {
    if (!(e instanceof ResourceNotFoundException)) throw e;
  }
  const index = t.indexes[0];
  await dynamo.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [t.partitionKey, t.sortKey, index.partitionKey, index.sortKey].map((a) => ({
        AttributeName: a,
        AttributeType: 'S',
      })),
      KeySchema: [
        { AttributeName: t.partitionKey, KeyType: 'HASH' },
        { AttributeName: t.sortKey, KeyType: 'RANGE' },
      ],
      StreamSpecification: stream,
      GlobalSecondaryIndexes: t.indexes.map((i) => ({
        IndexName: i.name,
        KeySchema: [
          { AttributeName: i.partitionKey, KeyType: 'HASH' },
          { AttributeName: i.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    }),
  );
  await dynamo.send(
    new UpdateTimeToLiveCommand({
      TableName: name,
      TimeToLiveSpecification: { AttributeName: t.ttlAttribute, Enabled: true },
    }),
  );
  return name;
}

async function createQueue(
  sqs: SQSClient,
  name: string,
  attributes: Record<string, string>,
  tags: Record<string, string>,
): Promise<string> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  if (!QueueUrl) throw new Error(`queue ${name} has no URL`);
  await sqs.send(new TagQueueCommand({ QueueUrl, Tags: tags })); // also tags queues persisted by an older start
  return QueueUrl;
}

async function queueArn(sqs: SQSClient, url: string): Promise<string> {
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  const arn = Attributes?.QueueArn;
  if (!arn) throw new Error(`queue ${url} has no ARN`);
  return arn;
}

/** What the local SNS really delivers where, in the wiring's names (compared with the template in the e2e tests). */
export async function localSubscriptions(sns: SNSClient, resources: LocalResources) {
  const topicName = Object.fromEntries(Object.entries(resources.topicArns).map(([n, arn]) => [arn, n]));
  const queueName = Object.fromEntries(Object.keys(resources.queueUrls).map((n) => [`facet-${kebab(n)}`, n]));
  const found: { topic: string; queue: string; eventTypes: string[] | undefined; rawMessageDelivery: boolean }[] = [];
  for (const arn of Object.keys(topicName)) {
    const { Subscriptions = [] } = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: arn }));
    for (const sub of Subscriptions) {
      const { Attributes = {} } = await sns.send(
        new GetSubscriptionAttributesCommand({ SubscriptionArn: sub.SubscriptionArn }),
      );
      const filter = Attributes.FilterPolicy ? (JSON.parse(Attributes.FilterPolicy) as { type: string[] }) : undefined;
      found.push({
        topic: topicName[arn] ?? arn,
        queue: queueName[sub.Endpoint?.split(':').pop() ?? ''] ?? String(sub.Endpoint),
        eventTypes: filter ? [...filter.type].sort() : undefined,
        rawMessageDelivery: Attributes.RawMessageDelivery === 'true',
      });
    }
  }
  return found.sort((a, b) => a.topic.localeCompare(b.topic) || a.queue.localeCompare(b.queue));
}
