import { routeHandler } from '../shared/api/bundle.ts';
import { deps } from './deps.ts';
import { treeView } from './views.ts';

/** GET /ops/trees — the casting trees not yet cut, oldest first. */
export const handler = routeHandler('OperatorsTrees', async () => ({
  status: 200,
  headers: { 'cache-control': 'no-store' },
  body: { trees: (await deps.trees.listOpen()).map(treeView) },
}));
