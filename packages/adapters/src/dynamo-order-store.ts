import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { conflict } from '@facet/domain/errors';
import type { Order } from '@facet/domain/order';
import type { OrderListQuery, OrderPosition, OrderStore } from '@facet/domain/ports';
import { orderSk, ordersIndexPk, tenantPk } from './dynamo-keys.ts';

/** Read pages of this size when a status filter may drop most of them. */
const FILTERED_PAGE = 100;

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
    return Item ? withoutKeys(Item) : undefined;
  }

  /**
   * Orders by creation time on gsi1 (newest first): the date range is a key condition, statuses a filter. With a
   * filter a page may come back short, so reading goes on until `limit` orders or the end; the position handed
   * out is the last order returned, never an unread one.
   */
  async list(tenantId: string, query: OrderListQuery): Promise<{ orders: Order[]; next?: OrderPosition }> {
    const names: Record<string, string> = { '#pk': 'gsi1pk' };
    const values: Record<string, unknown> = { ':pk': ordersIndexPk(tenantId, query.sandbox) };
    let range = '';
    if (query.createdFrom || query.createdTo) names['#sk'] = 'gsi1sk';
    if (query.createdFrom && query.createdTo) {
      range = ' AND #sk BETWEEN :from AND :to';
      values[':from'] = query.createdFrom;
      values[':to'] = query.createdTo;
    } else if (query.createdFrom) {
      range = ' AND #sk >= :from';
      values[':from'] = query.createdFrom;
    } else if (query.createdTo) {
      range = ' AND #sk <= :to';
      values[':to'] = query.createdTo;
    }
    let filter: string | undefined;
    if (query.statuses?.length) {
      names['#status'] = 'status';
      const keys = query.statuses.map((s, i) => {
        values[`:s${i}`] = s;
        return `:s${i}`;
      });
      filter = `#status IN (${keys.join(', ')})`;
    }
    const orders: Order[] = [];
    let start: Record<string, unknown> | undefined = query.after
      ? this.indexKey(tenantId, query.sandbox, query.after)
      : undefined;
    do {
      const input: QueryCommandInput = {
        TableName: this.table,
        IndexName: 'gsi1',
        KeyConditionExpression: `#pk = :pk${range}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ScanIndexForward: false,
        Limit: filter ? FILTERED_PAGE : query.limit - orders.length,
        ...(filter ? { FilterExpression: filter } : {}),
        ...(start ? { ExclusiveStartKey: start } : {}),
      };
      const page = await this.db.send(new QueryCommand(input));
      for (const item of page.Items ?? []) {
        if (orders.length === query.limit) break;
        orders.push(withoutKeys(item));
      }
      start = page.LastEvaluatedKey;
    } while (start && orders.length < query.limit);
    const last = orders.at(-1);
    const more = orders.length === query.limit && last !== undefined;
    return { orders, ...(more ? { next: { createdAt: last.createdAt, id: last.id } } : {}) };
  }

  private indexKey(tenantId: string, sandbox: boolean, at: OrderPosition) {
    return {
      pk: tenantPk(tenantId),
      sk: orderSk(at.id),
      gsi1pk: ordersIndexPk(tenantId, sandbox),
      gsi1sk: at.createdAt,
    };
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
            gsi1pk: ordersIndexPk(order.tenantId, Boolean(order.sandbox)),
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

function withoutKeys(item: Record<string, unknown>): Order {
  const { pk: _pk, sk: _sk, gsi1pk: _g, gsi1sk: _s, ...order } = item;
  return order as unknown as Order;
}
