import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ApiKeyRecord, DedupeStore, Tenant, TenantStore } from '@facet/domain/ports';
import { apiKeyPk, tenantPk } from './dynamo-keys.ts';

export class DynamoTenantStore implements TenantStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async getTenant(tenantId: string): Promise<Tenant | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: tenantPk(tenantId), sk: 'PROFILE' } }),
    );
    return Item ? toTenant(Item) : undefined;
  }

  /** Companies are also listed by name on gsi1 (the admins' page), never by scanning the table. */
  async putTenant(tenant: Tenant): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: tenantPk(tenant.id),
          sk: 'PROFILE',
          gsi1pk: 'TENANTS',
          gsi1sk: `${tenant.name.toLowerCase()}#${tenant.id}`,
          ...tenant,
        },
      }),
    );
  }

  async listTenants(): Promise<Tenant[]> {
    const tenants: Tenant[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :t',
          ExpressionAttributeValues: { ':t': 'TENANTS' },
          ExclusiveStartKey,
        }),
      );
      tenants.push(...(page.Items ?? []).map(toTenant));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return tenants;
  }

  async findApiKey(keyHash: string): Promise<ApiKeyRecord | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: apiKeyPk(keyHash), sk: 'APIKEY' } }),
    );
    return Item ? toKeyRecord(Item) : undefined;
  }

  async putApiKey(keyHash: string, record: ApiKeyRecord): Promise<void> {
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: this.table, Item: { pk: apiKeyPk(keyHash), sk: 'APIKEY', ...record } } },
          {
            Put: {
              TableName: this.table,
              Item: { pk: tenantPk(record.tenantId), sk: `KEY#${record.keyId}`, keyHash, ...record },
            },
          },
        ],
      }),
    );
  }

  async listApiKeys(tenantId: string): Promise<(ApiKeyRecord & { keyHash: string })[]> {
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :key)',
        ExpressionAttributeValues: { ':pk': tenantPk(tenantId), ':key': 'KEY#' },
      }),
    );
    return Items.map((i) => ({ ...toKeyRecord(i), keyHash: String(i.keyHash) }));
  }
}

const toTenant = (i: Record<string, unknown>): Tenant => ({
  id: String(i.id),
  name: String(i.name),
  notificationEmail: String(i.notificationEmail),
  ...(i.sandbox === true ? { sandbox: true } : {}),
});

function toKeyRecord(item: Record<string, unknown>): ApiKeyRecord {
  const { pk: _pk, sk: _sk, keyHash: _h, ...record } = item;
  return record as unknown as ApiKeyRecord;
}

/** Conditional put of a marker item: the first writer wins, TTL cleans up. */
export class DynamoDedupeStore implements DedupeStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** A claim is a `pending` marker with a lease; a lapsed lease (its holder died mid-send) can be taken over. */
  async claim(scope: string, id: string, leaseSeconds: number): Promise<'claimed' | 'done' | 'busy'> {
    const now = Math.floor(Date.now() / 1000);
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk: dedupePk(scope, id),
            sk: 'DEDUPE',
            state: 'pending',
            leaseUntil: now + leaseSeconds,
            expiresAt: now + 86_400,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR (#state = :pending AND leaseUntil < :now)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':pending': 'pending', ':now': now },
        }),
      );
      return 'claimed';
    } catch (e) {
      if (!(e instanceof ConditionalCheckFailedException)) throw e;
    }
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: dedupePk(scope, id), sk: 'DEDUPE' }, ConsistentRead: true }),
    );
    // Markers from before claims existed carry no state: they recorded a done send.
    return Item?.state === 'pending' ? 'busy' : 'done';
  }

  async complete(scope: string, id: string, keepSeconds: number): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: dedupePk(scope, id),
          sk: 'DEDUPE',
          state: 'done',
          expiresAt: Math.floor(Date.now() / 1000) + keepSeconds,
        },
      }),
    );
  }

  async release(scope: string, id: string): Promise<void> {
    await this.db
      .send(
        new DeleteCommand({
          TableName: this.table,
          Key: { pk: dedupePk(scope, id), sk: 'DEDUPE' },
          ConditionExpression: '#state = :pending',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':pending': 'pending' },
        }),
      )
      .catch((e: unknown) => {
        if (!(e instanceof ConditionalCheckFailedException)) throw e;
      });
  }
}

const dedupePk = (scope: string, id: string) => `DEDUPE#${scope}#${id}`;
