import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { IdempotencyBegin, IdempotencyStore, StoredResponse } from '@facet/domain/ports';
import { tenantPk } from './dynamo-keys.ts';

/** Answers are kept a day (TTL), like the payment APIs clients know. */
const KEEP_SECONDS = 24 * 3600;
/** A request that has not completed by then (its Lambda died) no longer blocks its key. */
const PENDING_SECONDS = 60;

export class DynamoIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  private key = (tenantId: string, key: string) => ({ pk: tenantPk(tenantId), sk: `IDEMPOTENCY#${key}` });

  async begin(tenantId: string, key: string, fingerprint: string): Promise<IdempotencyBegin> {
    const now = Math.floor(Date.now() / 1000);
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...this.key(tenantId, key),
            fingerprint,
            state: 'pending',
            pendingUntil: now + PENDING_SECONDS,
            expiresAt: now + KEEP_SECONDS,
          },
          // A new key, or one whose pending request died.
          ConditionExpression: 'attribute_not_exists(pk) OR (#state = :pending AND pendingUntil < :now)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':pending': 'pending', ':now': now },
        }),
      );
      return { state: 'new' };
    } catch (e) {
      if (!(e instanceof ConditionalCheckFailedException)) throw e;
    }
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: this.key(tenantId, key), ConsistentRead: true }),
    );
    if (!Item) return this.begin(tenantId, key, fingerprint);
    if (Item.fingerprint !== fingerprint) return { state: 'mismatch' };
    if (Item.state !== 'complete') return { state: 'in_progress' };
    return { state: 'replay', response: Item.response as StoredResponse };
  }

  async complete(tenantId: string, key: string, response: StoredResponse): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: this.key(tenantId, key),
        UpdateExpression: 'SET #state = :complete, #response = :response REMOVE pendingUntil',
        ExpressionAttributeNames: { '#state': 'state', '#response': 'response' },
        ExpressionAttributeValues: { ':complete': 'complete', ':response': response },
      }),
    );
  }

  async abandon(tenantId: string, key: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.table, Key: this.key(tenantId, key) }));
  }
}
