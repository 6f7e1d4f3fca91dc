import type { ConfirmOrderRequest } from '@facet/contracts';
import { conflict, DomainError } from '../errors.ts';
import { type Order, type OrderQuote, transition } from '../order.ts';
import { PriceBookError, type QuoteInput, quote } from '../pricing.ts';
import type { Caller, OrderDeps } from './deps.ts';
import { toOrderQuote } from './order-quote.ts';
import { ownOrder } from './own-order.ts';

/**
 * Accepts the order's quote. A quote past its metal-price lock is priced again from today's price book; if that
 * (or a stale `expectedTotal`) changes the total, nothing is confirmed: the order keeps the new quote and the
 * answer is `quote_changed` with both quotes and the lines that moved, so the client can confirm again knowingly.
 */
export async function confirmOrder(
  deps: Pick<OrderDeps, 'orders' | 'clock' | 'priceBook'>,
  caller: Caller,
  orderId: string,
  request: ConfirmOrderRequest,
): Promise<Order> {
  let order = await ownOrder(deps, caller, orderId);
  if (order.status === 'confirmed') return order;
  const manufactureAnyway = order.status === 'rejected';
  if (manufactureAnyway && !request.manufactureAnyway) {
    throw conflict('The model was rejected; confirm with manufactureAnyway: true to accept the risk, or upload a fix.');
  }
  if (order.status !== 'quoted' && !manufactureAnyway) {
    throw conflict(`The order is ${order.status.replace('_', ' ')}; only a quoted order can be confirmed.`);
  }
  const result = order.result;
  const current = result?.quote;
  if (!result || !current || !result.pricing) {
    throw conflict('This model could not be measured, so it cannot be made as it is; upload a fixed model.');
  }
  const now = deps.clock();
  const expired = Date.parse(current.validUntil) <= now.getTime();
  let accepted = current;
  if (expired) {
    accepted = reprice(deps, result.pricing, now);
    order = {
      ...order,
      version: order.version + 1,
      result: { ...result, quote: accepted },
      updatedAt: now.toISOString(),
    };
    // The new quote is kept whatever happens next: a quote-changed answer points at it.
    await deps.orders.save(order, order.version - 1);
  }
  const acceptable =
    request.expectedTotal === undefined ? accepted.total === current.total : request.expectedTotal === accepted.total;
  if (!acceptable) {
    const reason = expired
      ? `The price lock ended at ${current.validUntil} and the order was priced again.`
      : `The quote total is ${accepted.total}, not ${request.expectedTotal}.`;
    throw quoteChanged(current, accepted, reason);
  }
  const { order: next, event } = transition(
    order,
    'confirmed',
    {
      confirmation: {
        at: now.toISOString(),
        total: accepted.total,
        currency: accepted.currency,
        manufactureAnyway,
      },
    },
    now,
    undefined,
    caller.actor,
  );
  await deps.orders.save(next, order.version, event);
  return next;
}

function reprice(deps: Pick<OrderDeps, 'priceBook'>, input: QuoteInput, now: Date): OrderQuote {
  try {
    return toOrderQuote(quote(input, deps.priceBook(now), now));
  } catch (error) {
    if (error instanceof PriceBookError) {
      throw conflict('We cannot price this order right now (no current metal price); please try again later.');
    }
    throw error;
  }
}

function quoteChanged(previous: OrderQuote, fresh: OrderQuote, reason: string): DomainError {
  const codes = [...new Set([...previous.lines, ...fresh.lines].map((l) => l.code))];
  const amount = (q: OrderQuote, code: string) => q.lines.find((l) => l.code === code)?.amount ?? 0;
  const changes = codes
    .map((code) => ({ code, before: amount(previous, code), after: amount(fresh, code) }))
    .filter((c) => c.before !== c.after);
  return new DomainError(
    'quote_changed',
    `${reason} Confirm again with expectedTotal ${fresh.total} to accept the new quote.`,
    [],
    { previousQuote: previous, quote: fresh, changes },
  );
}
