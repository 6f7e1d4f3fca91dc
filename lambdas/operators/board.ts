import { routeHandler } from '../shared/api/bundle.ts';
import { headerOf } from '../shared/api/state.ts';
import { deps } from './deps.ts';

/**
 * GET /ops/board — every open order as a card, from the projection kept in this function's memory (one read of
 * the board's version when nothing changed). The ETag is the projection's version (and the minute, since the
 * overdue and at-risk flags follow the clock): a matching If-None-Match is a 304 with no body.
 */
export const handler = routeHandler('OperatorsBoard', async ({ event }) => {
  const answer = await deps.reader.read();
  const headers = { etag: answer.etag, 'cache-control': 'private, no-cache' };
  if (headerOf(event, 'if-none-match') === answer.etag) return { status: 304, headers };
  return { status: 200, headers, raw: answer.body };
});
