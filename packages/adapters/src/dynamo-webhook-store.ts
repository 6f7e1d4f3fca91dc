import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import type { WebhookStore } from '@facet/domain/ports';
import { DELIVERY_RETENTION_DAYS } from '@facet/domain/webhooks/deliveries';
import type { WebhookDelivery, WebhookEndpoint } from '@facet/domain/webhooks/model';
import { tenantPk, webhookDeliveryPrefix, webhookDeliverySk, webhookSk } from './dynamo-keys.ts';

/**
 * Endpoints (`TENANT#t / WEBHOOK#id`) and their deliveries (`TENANT#t / WHDELIVERY#endpoint#delivery`) in the
 * single table: every key starts with the tenant, so no read can reach another company's items.
 */
export class DynamoWebhookStore implements WebhookStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async createEndpoint(endpoint: WebhookEndpoint): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: tenantPk(endpoint.tenantId), sk: webhookSk(endpoint.id), ...endpoint },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async updateEndpoint(endpoint: WebhookEndpoint): Promise<boolean> {
    return this.conditionally(
      new PutCommand({
        TableName: this.table,
        Item: { pk: tenantPk(endpoint.tenantId), sk: webhookSk(endpoint.id), ...endpoint },
        ConditionExpression: 'attribute_exists(pk)',
      }),
    );
  }

  async getEndpoint(tenantId: string, webhookId: string): Promise<WebhookEndpoint | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: tenantPk(tenantId), sk: webhookSk(webhookId) },
        ConsistentRead: true,
      }),
    );
    return Item ? strip<WebhookEndpoint>(Item) : undefined;
  }

  async listEndpoints(tenantId: string): Promise<WebhookEndpoint[]> {
    const items = await this.query(tenantId, webhookSk(''), { forward: true });
    return items.map((i) => strip<WebhookEndpoint>(i));
  }

  async deleteEndpoint(tenantId: string, webhookId: string): Promise<boolean> {
    const { Attributes } = await this.db.send(
      new DeleteCommand({
        TableName: this.table,
        Key: { pk: tenantPk(tenantId), sk: webhookSk(webhookId) },
        ReturnValues: 'ALL_OLD',
      }),
    );
    return Attributes !== undefined;
  }

  async createDelivery(delivery: WebhookDelivery): Promise<{ delivery: WebhookDelivery; created: boolean }> {
    const expiresAt = Math.floor(Date.parse(delivery.createdAt) / 1000) + DELIVERY_RETENTION_DAYS * 24 * 3600;
    const created = await this.conditionally(
      new PutCommand({
        TableName: this.table,
        Item: { ...this.deliveryKey(delivery), ...delivery, expiresAt },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    if (created) return { delivery, created };
    const stored = await this.getDelivery(delivery.tenantId, delivery.webhookId, delivery.id);
    if (!stored) throw new Error(`delivery ${delivery.id} exists and cannot be read`);
    return { delivery: stored, created };
  }

  async getDelivery(tenantId: string, webhookId: string, deliveryId: string): Promise<WebhookDelivery | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: tenantPk(tenantId), sk: webhookDeliverySk(webhookId, deliveryId) },
        ConsistentRead: true,
      }),
    );
    return Item ? strip<WebhookDelivery>(Item) : undefined;
  }

  async saveDelivery(next: WebhookDelivery, expectedRevision: number): Promise<boolean> {
    const expiresAt = Math.floor(Date.parse(next.createdAt) / 1000) + DELIVERY_RETENTION_DAYS * 24 * 3600;
    return this.conditionally(
      new PutCommand({
        TableName: this.table,
        Item: { ...this.deliveryKey(next), ...next, expiresAt },
        ConditionExpression: '#revision = :expected',
        ExpressionAttributeNames: { '#revision': 'revision' },
        ExpressionAttributeValues: { ':expected': expectedRevision },
      }),
    );
  }

  async listDeliveries(tenantId: string, webhookId: string, limit: number): Promise<WebhookDelivery[]> {
    const items = await this.query(tenantId, webhookDeliveryPrefix(webhookId), { forward: false, limit });
    return items.map((i) => strip<WebhookDelivery>(i));
  }

  private deliveryKey = (d: WebhookDelivery) => ({
    pk: tenantPk(d.tenantId),
    sk: webhookDeliverySk(d.webhookId, d.id),
  });

  private async query(
    tenantId: string,
    prefix: string,
    options: { forward: boolean; limit?: number },
  ): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': tenantPk(tenantId), ':prefix': prefix },
          ScanIndexForward: options.forward,
          ConsistentRead: true,
          ...(options.limit ? { Limit: options.limit - items.length } : {}),
          ExclusiveStartKey,
        }),
      );
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey && (options.limit === undefined || items.length < options.limit));
    return items;
  }

  /** Runs a conditional write; false if its condition did not hold. */
  private async conditionally(command: PutCommand): Promise<boolean> {
    try {
      await this.db.send(command);
      return true;
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return false;
      throw e;
    }
  }
}

/** The stored item without its key and TTL attributes: the domain object written by this store. */
function strip<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, expiresAt: _ttl, ...rest } = item;
  return rest as T;
}
