import { routeHandler } from '../shared/api/bundle.ts';
import { deps } from './deps.ts';

/** POST /ops/thumbnails — short-lived links to the thumbnails of the cards on screen (at most 100 at a time). */
export const handler = routeHandler('OperatorsThumbnails', async ({ body }) => {
  const keys = await deps.board.thumbnailKeys(body.orderIds);
  const ttl = deps.presignTtlSeconds;
  const entries = await Promise.all([...keys].map(async ([id, key]) => [id, await deps.blobs.presignGet(key, ttl)]));
  return {
    status: 200,
    headers: { 'cache-control': 'no-store' },
    body: {
      thumbnails: Object.fromEntries(entries),
      expiresAt: new Date(deps.clock().getTime() + ttl * 1000).toISOString(),
    },
  };
});
