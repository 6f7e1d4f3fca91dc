import { createTree } from '@facet/domain/production/trees';
import { routeHandler } from '../shared/api/bundle.ts';
import { deps } from './deps.ts';
import { treeView } from './views.ts';

/** POST /ops/trees — confirmed (or printing) orders of one alloy on a new casting tree, with the metal it needs. */
export const handler = routeHandler('OperatorsCreateTree', async ({ operator, body }) => {
  const tree = await createTree(deps, operator, body.orderIds);
  return { status: 201, headers: { location: `/ops/trees/${tree.id}` }, body: { tree: treeView(tree) } };
});
