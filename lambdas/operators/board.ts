import { BOARD_MEDIA_TYPE } from '@facet/contracts/operators';
import { firstAcceptType } from '@facet/wiring';
import { routeHandler } from '../shared/api/bundle.ts';
import { PartwiseGzip } from '../shared/api/gzip-parts.ts';
import { headerOf } from '../shared/api/state.ts';
import { deps } from './deps.ts';

/** The board's buckets, each compressed once while it stays the same (a change recompresses one bucket). */
const gzip = new PartwiseGzip();
/** The gzipped board of one ETag, kept like the board itself: sent to every poll of that ETag. */
let compressed: { etag: string; base64: string } | undefined;

/**
 * GET /ops/board — every open order as a card, from the projection kept in this function's memory (one read of
 * the board's version when nothing changed). The ETag is the projection's version (and the minute, since the
 * overdue and at-risk flags follow the clock): a matching If-None-Match is a 304 with no body. A client asking
 * for BOARD_MEDIA_TYPE first (the site does) gets the same JSON gzipped, under an ETag of its own.
 */
export const handler = routeHandler('OperatorsBoard', async ({ event }) => {
  const { answer, storeMs, renderMs } = await deps.reader.read();
  const gzipWanted = wantsGzip(headerOf(event, 'accept'), headerOf(event, 'accept-encoding'));
  const etag = gzipWanted ? `${answer.etag.slice(0, -1)}.gz"` : answer.etag;
  const timing = `store;dur=${storeMs.toFixed(1)}, render;dur=${renderMs.toFixed(1)}`;
  const headers = {
    etag,
    'cache-control': 'private, no-cache',
    vary: 'accept, accept-encoding',
    // The read model's share of the answer time (the browser's devtools and the benchmark show it).
    'server-timing': timing,
  };
  if (headerOf(event, 'if-none-match') === etag) return { status: 304, headers };
  if (!gzipWanted) return { status: 200, headers, raw: answer.body };
  const started = performance.now();
  if (compressed?.etag !== etag) compressed = { etag, base64: gzip.gzip(answer.parts).toString('base64') };
  const { base64 } = compressed;
  return {
    status: 200,
    headers: {
      ...headers,
      'content-type': BOARD_MEDIA_TYPE,
      'content-encoding': 'gzip',
      'server-timing': `${timing}, gzip;dur=${(performance.now() - started).toFixed(1)}`,
    },
    base64,
  };
});

/** As API Gateway decides on a binary answer: by the first type in Accept (and the client must take gzip). */
function wantsGzip(accept: string | undefined, acceptEncoding: string | undefined): boolean {
  return firstAcceptType(accept) === BOARD_MEDIA_TYPE && /\bgzip\b/i.test(acceptEncoding ?? '');
}
