import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { conflict } from '@facet/domain/errors';
import type { CastingTree, TreeStore } from '@facet/domain/production/trees';

const treePk = (id: string) => `TREE#${id}`;
/** Open trees by creation time on gsi1; a closed tree leaves the index (no gsi1pk). */
const OPEN_TREES = 'TREES#OPEN';

export class DynamoTreeStore implements TreeStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(tree: CastingTree): Promise<void> {
    await this.put(tree, 'attribute_not_exists(pk)', {});
  }

  async get(treeId: string): Promise<CastingTree | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: treePk(treeId), sk: 'TREE' }, ConsistentRead: true }),
    );
    return Item ? (Item.tree as CastingTree) : undefined;
  }

  async listOpen(): Promise<CastingTree[]> {
    const trees: CastingTree[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :open',
          ExpressionAttributeValues: { ':open': OPEN_TREES },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) trees.push(item.tree as CastingTree);
      start = page.LastEvaluatedKey;
    } while (start);
    return trees;
  }

  async save(tree: CastingTree, expectedRevision: number): Promise<void> {
    await this.put(tree, 'revision = :expected', { ':expected': expectedRevision });
  }

  private async put(tree: CastingTree, condition: string, values: Record<string, unknown>) {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk: treePk(tree.id),
            sk: 'TREE',
            revision: tree.revision,
            ...(tree.closed ? {} : { gsi1pk: OPEN_TREES, gsi1sk: tree.createdAt }),
            tree,
          },
          ConditionExpression: condition,
          ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
        }),
      );
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException)
        throw conflict(`Tree ${tree.id} was changed meanwhile; look again.`);
      throw e;
    }
  }
}
