import { describe, expect, it } from 'vitest';
import { demoPriceBook, type PriceBook, PriceBookError, quote } from './pricing.ts';

const now = new Date('2026-11-23T12:00:00Z');
const input = { alloy: 'au750y' as const, quantity: 2, gramsPerPiece: 5.5, volumeMm3: 350, areaMm2: 600, layers: 800 };

describe('quote', () => {
  it('itemizes every line and adds up to the total', () => {
    // Act
    const q = quote(input, demoPriceBook(now), now);
    // Assess
    const codes = q.lines.map((l) => l.code);
    expect(codes).toEqual(expect.arrayContaining(['metal', 'printing', 'casting', 'finishing', 'margin']));
    expect(q.lines.reduce((s, l) => s + l.amount, 0)).toBe(q.total);
    for (const l of q.lines) expect(Number.isInteger(l.amount)).toBe(true);
    expect(q.demoPrices).toBe(true);
  });

  it('prices metal as weight × price per gram', () => {
    // Act
    const q = quote(input, demoPriceBook(now), now);
    // Assess
    const metal = q.lines.find((l) => l.code === 'metal');
    expect(metal?.quantity).toBe(11);
    expect(metal?.amount).toBe(11 * 8_300);
  });

  it('raises small orders to the minimum order value', () => {
    // Prepare
    const book: PriceBook = { ...demoPriceBook(now), minimumOrder: 10_000_000 };
    // Act
    const q = quote(input, book, now);
    // Assess
    expect(q.total).toBe(10_000_000);
    expect(q.lines.at(-1)?.code).toBe('minimum_order');
  });

  it('expires with the metal price and never later than the quote validity', () => {
    // Prepare
    const book = demoPriceBook(now);
    const short = {
      ...book,
      metals: {
        ...book.metals,
        au750y: { perGram: 8_000, quotedAt: now.toISOString(), validUntil: '2026-11-23T13:00:00Z', source: 'x' },
      },
    };
    // Act / Assess
    expect(quote(input, short, now).validUntil).toBe('2026-11-23T13:00:00.000Z');
    expect(quote(input, book, now).validUntil).toBe('2026-11-24T12:00:00.000Z');
  });

  it('refuses an expired or missing metal price', () => {
    // Prepare
    const book = demoPriceBook(new Date('2020-01-01T00:00:00Z'));
    const missing = { ...demoPriceBook(now), metals: {} };
    // Act / Assess
    expect(() => quote(input, book, now)).toThrow(PriceBookError);
    expect(() => quote(input, missing, now)).toThrow(/no price/);
  });
});
