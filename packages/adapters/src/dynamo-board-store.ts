import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ProjectedCard } from '@facet/domain/board/card';
import { type BoardChange, type BoardStore, CHANGE_COMMIT_MS } from '@facet/domain/board/ports';

/** The board lives in one partition (a few thousand items): reads are Queries, never a scan. */
const BOARD_PK = 'BOARD';
const cardSk = (orderId: string) => `CARD#${orderId}`;
/** Changes by time on gsi1: what a warm reader fetches after the version moved. */
const CHANGES_PK = 'BOARD#CHANGES';
/** The changes index sorts by time (epoch ms, zero-padded), then order. */
const stampSk = (ms: number) => String(ms).padStart(15, '0');
const changeSk = (ms: number, orderId: string) => `${stampSk(ms)}#${orderId}`;
/** A closed card (delivered, cancelled) stays as a tombstone long enough for every reader to see it go. */
const TOMBSTONE_SECONDS = 7 * 24 * 3600;

interface CardItem {
  readonly orderId: string;
  readonly orderVersion: number;
  readonly eventVersion: number;
  readonly closed: boolean;
  readonly projected?: ProjectedCard;
}

export class DynamoBoardStore implements BoardStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly clock: () => number = Date.now,
  ) {}

  async put(projected: ProjectedCard, options: { force?: boolean } = {}): Promise<boolean> {
    return this.write(
      {
        orderId: projected.card.orderId,
        orderVersion: projected.card.version,
        eventVersion: projected.eventVersion,
        closed: false,
        projected,
      },
      options.force ?? false,
    );
  }

  async close(orderId: string, orderVersion: number): Promise<boolean> {
    return this.write({ orderId, orderVersion, eventVersion: orderVersion, closed: true }, false);
  }

  /**
   * Forward only: a newer order version, or the same one from a later event. The change is stamped with its time
   * (the changes index); a write that took longer than CHANGE_COMMIT_MS is stamped again, so readers never need
   * to look further back than that.
   */
  private async write(item: CardItem, force: boolean): Promise<boolean> {
    let stamp = this.clock();
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk: BOARD_PK,
            sk: cardSk(item.orderId),
            gsi1pk: CHANGES_PK,
            gsi1sk: changeSk(stamp, item.orderId),
            ...item,
            ...(item.closed ? { expiresAt: Math.floor(stamp / 1000) + TOMBSTONE_SECONDS } : {}),
          },
          ...(force
            ? {}
            : {
                ConditionExpression:
                  'attribute_not_exists(pk) OR orderVersion < :ov OR (orderVersion = :ov AND eventVersion < :ev)',
                ExpressionAttributeValues: { ':ov': item.orderVersion, ':ev': item.eventVersion },
              }),
        }),
      );
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return false;
      throw e;
    }
    for (let tries = 0; this.clock() - stamp > CHANGE_COMMIT_MS; tries++) {
      if (tries === 5) throw new Error(`the board store could not stamp ${item.orderId}'s change in time`);
      stamp = this.clock();
      if (!(await this.restamp(item, stamp))) break;
    }
    return true;
  }

  /** Moves the change's time to `stamp`, unless a newer write has replaced the card (it has its own stamp). */
  private async restamp(item: CardItem, stamp: number): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: BOARD_PK, sk: cardSk(item.orderId) },
          UpdateExpression: 'SET gsi1sk = :sk',
          ConditionExpression: 'orderVersion = :ov AND eventVersion = :ev',
          ExpressionAttributeValues: {
            ':sk': changeSk(stamp, item.orderId),
            ':ov': item.orderVersion,
            ':ev': item.eventVersion,
          },
        }),
      );
      return true;
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return false;
      throw e;
    }
  }

  async bump(): Promise<number> {
    const { Attributes } = await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: BOARD_PK, sk: 'META' },
        UpdateExpression: 'ADD boardVersion :one',
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(Attributes?.boardVersion ?? 0);
  }

  async version(): Promise<number> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: BOARD_PK, sk: 'META' }, ConsistentRead: true }),
    );
    return Number(Item?.boardVersion ?? 0);
  }

  async all(): Promise<ProjectedCard[]> {
    const cards: ProjectedCard[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :card)',
          FilterExpression: '#closed = :open',
          ExpressionAttributeNames: { '#closed': 'closed' },
          ExpressionAttributeValues: { ':pk': BOARD_PK, ':card': 'CARD#', ':open': false },
          ProjectionExpression: 'projected',
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) cards.push(item.projected as ProjectedCard);
      start = page.LastEvaluatedKey;
    } while (start);
    return cards;
  }

  async changedSince(sinceMs: number): Promise<BoardChange[]> {
    const changes: BoardChange[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk >= :since',
          ExpressionAttributeValues: { ':pk': CHANGES_PK, ':since': stampSk(Math.max(0, sinceMs)) },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of (page.Items ?? []) as unknown as CardItem[]) {
        changes.push(
          item.closed || !item.projected
            ? { orderId: item.orderId, closed: true }
            : { orderId: item.orderId, closed: false, projected: item.projected },
        );
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return changes;
  }

  async thumbnailKeys(orderIds: readonly string[]): Promise<Map<string, string>> {
    const keys = new Map<string, string>();
    for (let i = 0; i < orderIds.length; i += 100) {
      const { Responses } = await this.db.send(
        new BatchGetCommand({
          RequestItems: {
            [this.table]: {
              Keys: orderIds.slice(i, i + 100).map((id) => ({ pk: BOARD_PK, sk: cardSk(id) })),
              ProjectionExpression: 'orderId, projected.thumbnailKey',
            },
          },
        }),
      );
      for (const item of Responses?.[this.table] ?? []) {
        const key = (item.projected as { thumbnailKey?: string } | undefined)?.thumbnailKey;
        if (key) keys.set(String(item.orderId), key);
      }
    }
    return keys;
  }
}
