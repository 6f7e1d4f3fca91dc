import { routeHandler } from '../shared/api/bundle.ts';
import { deps } from './deps.ts';

/** GET /ops/attention — rejected and failed orders (oldest first) and the dead-lettered calculation jobs. */
export const handler = routeHandler('OperatorsAttention', async () => {
  const [cards, deadLetters] = await Promise.all([deps.reader.column('attention'), deps.deadLetters.peek()]);
  return {
    status: 200,
    headers: { 'cache-control': 'no-store' },
    body: { cards: cards.sort((a, b) => a.since.localeCompare(b.since)), deadLetters: [deadLetters] },
  };
});
