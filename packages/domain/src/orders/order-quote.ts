import type { OrderQuote } from '../order.ts';
import type { Quote } from '../pricing.ts';

/** The order keeps money in major units (what the API shows); the pricing rules work in integer minor units. */
type PricedQuote = Pick<Quote, 'currency' | 'total' | 'validUntil'> & {
  readonly lines: readonly { code: string; description: string; amount: number }[];
};

export const toOrderQuote = (q: PricedQuote): OrderQuote => ({
  currency: q.currency,
  total: q.total / 100,
  validUntil: q.validUntil,
  lines: q.lines.map((l) => ({ code: l.code, label: l.description, amount: l.amount / 100 })),
});
