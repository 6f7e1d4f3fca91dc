import { randomBytes } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SigningKeys } from '@facet/domain/ports';
import { signingKeyPk } from './dynamo-keys.ts';

/**
 * Platform signing keys in the table (encrypted at rest, readable only by roles with table access): the first
 * reader creates a random key with a conditional put, every later reader (and a racing first one) gets that key.
 * Cached per process.
 */
export class DynamoSigningKeys implements SigningKeys {
  private readonly cache = new Map<string, Promise<Uint8Array>>();

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  key(purpose: 'cursor'): Promise<Uint8Array> {
    let found = this.cache.get(purpose);
    if (!found) {
      found = this.load(purpose);
      found.catch(() => this.cache.delete(purpose));
      this.cache.set(purpose, found);
    }
    return found;
  }

  private async load(purpose: string): Promise<Uint8Array> {
    const Key = { pk: signingKeyPk, sk: purpose };
    const read = async () => {
      const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key, ConsistentRead: true }));
      return typeof Item?.secret === 'string' ? Buffer.from(Item.secret, 'base64') : undefined;
    };
    const existing = await read();
    if (existing) return existing;
    const secret = randomBytes(32);
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...Key, secret: secret.toString('base64'), createdAt: new Date().toISOString() },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return secret;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const winner = await read();
      if (!winner) throw error;
      return winner;
    }
  }
}
