import { advanceTree } from '@facet/domain/production/trees';
import { routeHandler } from '../shared/api/bundle.ts';
import { deps } from './deps.ts';
import { treeView } from './views.ts';

/** POST /ops/trees/{treeId}/advance — the tree and every order on it to the next stage. */
export const handler = routeHandler('OperatorsAdvanceTree', async ({ operator, params, body }) => ({
  status: 200,
  body: { tree: treeView(await advanceTree(deps, operator, params.treeId, body.expectedStage)) },
}));
