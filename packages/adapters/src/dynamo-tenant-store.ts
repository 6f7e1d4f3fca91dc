import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
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

  async putTenant(tenant: Tenant): Promise<void> {
    await this.db.send(
      new PutCommand({ TableName: this.table, Item: { pk: tenantPk(tenant.id), sk: 'PROFILE', ...tenant } }),
    );
  }

  async listTenants(): Promise<Tenant[]> {
    const tenants: Tenant[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      // Operators' tooling over a handful of companies; a GSI replaces the scan when the list grows.
      const page = await this.db.send(
        new ScanCommand({
          TableName: this.table,
          FilterExpression: 'sk = :p',
          ExpressionAttributeValues: { ':p': 'PROFILE' },
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

  async markOnce(scope: string, id: string, ttlSeconds: number): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: `DEDUPE#${scope}#${id}`, sk: 'DEDUPE', expiresAt: Math.floor(Date.now() / 1000) + ttlSeconds },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return false;
      throw e;
    }
  }
}
