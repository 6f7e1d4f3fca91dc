import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
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
    return Item
      ? { id: Item.id, name: Item.name, notificationEmail: Item.notificationEmail, sandbox: Item.sandbox }
      : undefined;
  }

  async putTenant(tenant: Tenant): Promise<void> {
    await this.db.send(
      new PutCommand({ TableName: this.table, Item: { pk: tenantPk(tenant.id), sk: 'PROFILE', ...tenant } }),
    );
  }

  async findApiKey(keyHash: string): Promise<ApiKeyRecord | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: apiKeyPk(keyHash), sk: 'APIKEY' } }),
    );
    return Item ? { keyId: Item.keyId, tenantId: Item.tenantId, status: Item.status } : undefined;
  }

  async putApiKey(keyHash: string, record: ApiKeyRecord): Promise<void> {
    await this.db.send(
      new PutCommand({ TableName: this.table, Item: { pk: apiKeyPk(keyHash), sk: 'APIKEY', ...record } }),
    );
  }
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
