import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conflict } from '@facet/domain/errors';
import type { Order } from '@facet/domain/order';
import type { OrderStore } from '@facet/domain/ports';
import { orderSk, tenantPk } from './dynamo-keys.ts';

export class DynamoOrderStore implements OrderStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(order: Order): Promise<void> {
    await this.write(order, 'attribute_not_exists(pk)', {}, `Order ${order.id} already exists.`);
  }

  async get(tenantId: string, orderId: string): Promise<Order | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: tenantPk(tenantId), sk: orderSk(orderId) },
        ConsistentRead: true,
      }),
    );
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, gsi1pk: _g, gsi1sk: _s, ...order } = Item;
    return order as Order;
  }

  async save(next: Order, expectedVersion: number): Promise<void> {
    await this.write(
      next,
      '#version = :expected',
      { ':expected': expectedVersion },
      'The order was changed by someone else; try again.',
    );
  }

  async markPublished(tenantId: string, orderId: string, version: number): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: tenantPk(tenantId), sk: orderSk(orderId) },
          UpdateExpression: 'SET publishedVersion = :v',
          ConditionExpression: '#version = :v',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':v': version },
        }),
      );
    } catch (e) {
      // The order moved on: the newer version's own publish covers it.
      if (!(e instanceof ConditionalCheckFailedException)) throw e;
    }
  }

  private async write(order: Order, condition: string, values: Record<string, unknown>, conflictMessage: string) {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk: tenantPk(order.tenantId),
            sk: orderSk(order.id),
            gsi1pk: `${tenantPk(order.tenantId)}#ORDERS`,
            gsi1sk: order.createdAt,
            ...order,
          },
          ConditionExpression: condition,
          ...(condition.includes('#version') ? { ExpressionAttributeNames: { '#version': 'version' } } : {}),
          ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
        }),
      );
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) throw conflict(conflictMessage);
      throw e;
    }
  }
}
