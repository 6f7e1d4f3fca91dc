import { GetQueueAttributesCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { BoardProjectorEnv, OperatorsApiEnv } from '@facet/contracts';
import { BoardReader } from '@facet/domain/board/reader';
import type { ProductionDeps } from '@facet/domain/production/order-actions';
import type { OrderDetailDeps } from '@facet/domain/production/order-detail';
import type { TreeDeps } from '@facet/domain/production/trees';
import { dynamoClient, s3Client, sqsClient } from './aws-clients.ts';
import { DynamoBoardStore } from './dynamo-board-store.ts';
import { DynamoOrderStore } from './dynamo-order-store.ts';
import { DynamoTenantStore } from './dynamo-tenant-store.ts';
import { DynamoTreeStore } from './dynamo-tree-store.ts';
import { S3BlobStore } from './s3-blob-store.ts';
import { apiGatewayUsagePlanNamed } from './usage-plan.ts';

/** A dead-letter queue as the attention page shows it: how many, and a few of them (peeked, left in place). */
export class DeadLetterPeek {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    readonly name: string,
  ) {}

  async peek(max = 10) {
    const { Attributes } = await this.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: this.queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
    );
    const count = Number(Attributes?.ApproximateNumberOfMessages ?? 0);
    if (count === 0) return { queue: this.name, count, sample: [] };
    // Visibility 0: the messages stay where they are for `npm run dlq -- redrive`.
    const { Messages = [] } = await this.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: this.queueUrl, MaxNumberOfMessages: max, VisibilityTimeout: 0 }),
    );
    return {
      queue: this.name,
      count,
      sample: Messages.map((m) => {
        const body = m.Body ?? '';
        const orderId = /"orderId"\s*:\s*"([^"]+)"/.exec(body)?.[1];
        return { messageId: m.MessageId ?? '', ...(orderId ? { orderId } : {}), body: body.slice(0, 2000) };
      }),
    };
  }
}

/** Everything the operators' routes need, built once per process. */
export function operatorsDeps(env: OperatorsApiEnv) {
  const db = dynamoClient();
  const orders = new DynamoOrderStore(db, env.TABLE_NAME);
  const board = new DynamoBoardStore(db, env.TABLE_NAME);
  const deps = {
    orders,
    tenants: new DynamoTenantStore(db, env.TABLE_NAME),
    blobs: new S3BlobStore(s3Client(env.S3_FORCE_PATH_STYLE), env.BUCKET_NAME),
    trees: new DynamoTreeStore(db, env.TABLE_NAME),
    board,
    reader: new BoardReader(board),
    clock: () => new Date(),
    presignTtlSeconds: env.PRESIGN_TTL_SECONDS,
    deadLetters: new DeadLetterPeek(sqsClient(), env.CALCULATION_DLQ_URL, 'calculationJobs'),
    // On AWS a new key is also an API Gateway key on the clients' usage plan (metered per company).
    ...(env.USAGE_PLAN_NAME ? { usagePlan: apiGatewayUsagePlanNamed(env.USAGE_PLAN_NAME) } : {}),
  };
  return deps satisfies ProductionDeps & OrderDetailDeps & TreeDeps;
}

/** The board's projector: orders and companies in, cards out. */
export function boardProjectorDeps(env: BoardProjectorEnv) {
  const db = dynamoClient();
  const tenants = new DynamoTenantStore(db, env.TABLE_NAME);
  const names = new Map<string, string>();
  return {
    orders: new DynamoOrderStore(db, env.TABLE_NAME),
    board: new DynamoBoardStore(db, env.TABLE_NAME),
    /** Company names change rarely: kept for the life of the function instance. */
    companyName: async (tenantId: string) => {
      let name = names.get(tenantId);
      if (name === undefined) {
        name = (await tenants.getTenant(tenantId))?.name ?? tenantId;
        names.set(tenantId, name);
      }
      return name;
    },
  };
}
