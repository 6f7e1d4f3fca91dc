import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { OrderEvent } from '@facet/contracts';
import { conflict } from '@facet/domain/errors';
import type { Order } from '@facet/domain/order';
import type { OrderListQuery, OrderPosition, OrderStore } from '@facet/domain/ports';
import { orderEventPrefix, orderEventSk, orderLocatorPk, orderSk, ordersIndexPk, tenantPk } from './dynamo-keys.ts';

/** Read pages of this size when a status filter may drop most of them. */
const FILTERED_PAGE = 100;

/**
 * Orders in the single table; each status change writes the order and its event item (`EVENT#…`) in one
 * transaction. The table's stream carries new event items to the publisher (the transactional outbox).
 */
export class DynamoOrderStore implements OrderStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(order: Order, event: OrderEvent): Promise<void> {
    await this.write(order, 'attribute_not_exists(pk)', {}, `Order ${order.id} already exists.`, event, true);
  }

  async locate(orderId: string): Promise<string | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: orderLocatorPk(orderId), sk: 'ORDER' } }),
    );
    return typeof Item?.tenantId === 'string' ? Item.tenantId : undefined;
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

  async save(next: Order, expectedVersion: number, event?: OrderEvent): Promise<void> {
    await this.write(
      next,
      '#version = :expected',
      { ':expected': expectedVersion },
      'The order was changed by someone else; try again.',
      event,
    );
  }

  async events(tenantId: string, orderId: string): Promise<OrderEvent[]> {
    const events: OrderEvent[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': tenantPk(tenantId), ':prefix': orderEventPrefix(orderId) },
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) events.push(item.event as OrderEvent);
      start = page.LastEvaluatedKey;
    } while (start);
    return events;
  }

  /** The order alone (progress, leases), or the order and its event in one transaction: both or neither. */
  private async write(
    order: Order,
    condition: string,
    values: Record<string, unknown>,
    conflictMessage: string,
    event?: OrderEvent,
    locator = false,
  ) {
    const put = {
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
    };
    try {
      if (!event) {
        await this.db.send(new PutCommand(put));
        return;
      }
      const eventItem = {
        pk: tenantPk(order.tenantId),
        sk: orderEventSk(order.id, order.version),
        type: event.type,
        occurredAt: event.occurredAt,
        event,
      };
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: put },
            // An event is written once: a second writer of the same version has already lost on the order.
            { Put: { TableName: this.table, Item: eventItem, ConditionExpression: 'attribute_not_exists(pk)' } },
            ...(locator
              ? [
                  {
                    Put: {
                      TableName: this.table,
                      Item: { pk: orderLocatorPk(order.id), sk: 'ORDER', tenantId: order.tenantId },
                    },
                  },
                ]
              : []),
          ],
        }),
      );
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) throw conflict(conflictMessage);
      if (e instanceof TransactionCanceledException && e.CancellationReasons?.some(isConditionFailure)) {
        throw conflict(conflictMessage);
      }
      throw e;
    }
  }
}

function withoutKeys(item: Record<string, unknown>): Order {
  const { pk: _pk, sk: _sk, gsi1pk: _g, gsi1sk: _s, ...order } = item;
  return order as unknown as Order;
}

const isConditionFailure = (reason: { Code?: string }) => reason.Code === 'ConditionalCheckFailed';
