import { parseArgs } from 'node:util';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { boardProjectorDeps } from '@facet/adapters';
import { dynamoClient } from '@facet/adapters/aws-clients';
import { rebuildBoard } from '@facet/domain/board/projector';
import { stackOutputs, useLocalCloud } from './target.ts';

/**
 * `npm run board -- rebuild [--aws --stage dev]`: rebuilds the operators' board (its projection) from the orders
 * themselves — after a bug in the projector, or for a new field on the cards. Reads every order once (a scan: a
 * maintenance command, never a request path) and writes each live order's card from its latest event.
 */
const usage = `npm run board -- rebuild [--aws --stage dev]   rebuild every card of the operators' board from the orders`;

/** Every order's key, page by page. */
async function* everyOrder(tableName: string): AsyncGenerator<{ tenantId: string; id: string }> {
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamoClient().send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'begins_with(sk, :order)',
        ExpressionAttributeValues: { ':order': 'ORDER#' },
        ProjectionExpression: 'tenantId, id',
        ExclusiveStartKey,
      }),
    );
    for (const item of page.Items ?? []) yield { tenantId: String(item.tenantId), id: String(item.id) };
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      aws: { type: 'boolean', default: false },
      stage: { type: 'string', default: 'dev' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || positionals[0] !== 'rebuild') {
    console.log(usage);
    return values.help ? 0 : 2;
  }
  let tableName = 'facet-main';
  if (values.aws) tableName = (await stackOutputs(values.stage, 'Data')).TableName ?? '';
  else useLocalCloud();
  if (!tableName) throw new Error(`Stage ${values.stage} has no TableName output: is it deployed?`);
  const started = Date.now();
  const counts = await rebuildBoard(boardProjectorDeps({ TABLE_NAME: tableName }), everyOrder(tableName));
  console.log(`rebuilt ${counts.cards} cards, ${counts.closed} orders off the board, in ${Date.now() - started} ms`);
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  run(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
