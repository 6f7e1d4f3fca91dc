/**
 * The itemized quote. Prices are inputs (a `PriceBook`), never constants of the engine; all money is in integer
 * minor units (cents) and every line is rounded on its own, so the lines always add up to the total.
 * Metal is priced per gram with the price's timestamp and validity; the quote expires with the metal price.
 */
import { ALLOYS, type AlloyId, type MetalFamily } from './alloys.ts';

export interface MetalPrice {
  /** Casting-grain price in minor units per gram of alloy. */
  perGram: number;
  /** When the price was fixed (ISO 8601). */
  quotedAt: string;
  /** Until when it may be quoted (ISO 8601). */
  validUntil: string;
  /** Who fixed it (supplier, feed, operator). */
  source: string;
}

export interface PriceBook {
  id: string;
  /** True for the demo book: reports say so, and nothing should be sold at these prices. */
  demo: boolean;
  /** ISO 4217. */
  currency: string;
  metals: Partial<Record<AlloyId, MetalPrice>>;
  printing: {
    /** Per order: plate preparation, cleaning, curing. */
    setupPerOrder: number;
    /** Machine time per layer of the build (all pieces of an order print in one build). */
    perLayer: number;
    /** Castable resin per cm³ of model volume. */
    perCm3: number;
  };
  casting: {
    /** Sprue, tree, invest, burnout, cast, divest: per piece. */
    perPiece: number;
  };
  finishing: {
    /** Cut from tree, file, polish: per piece. */
    perPiece: number;
    /** Polishing effort grows with surface: per cm² of surface. */
    perCm2: number;
  };
  /** Markup on the metal per family (e.g. 0.2 = 20 % over the casting-grain price). */
  metalMarkup: Record<MetalFamily, number>;
  /** Margin on printing, casting and finishing labour. */
  labourMargin: number;
  /** Orders below this value are raised to it (a separate line). */
  minimumOrder: number;
  /** A quote is valid at most this long, and never past the metal price's validity. */
  quoteValidityHours: number;
}

export class PriceBookError extends Error {
  override readonly name = 'PriceBookError';
  constructor(
    readonly code: 'no_metal_price' | 'metal_price_expired' | 'invalid_price_book',
    message: string,
  ) {
    super(message);
  }
}

export interface QuoteInput {
  alloy: AlloyId;
  quantity: number;
  /** Metal per piece including the sprue allowance (g). */
  gramsPerPiece: number;
  volumeMm3: number;
  areaMm2: number;
  /** Layers of the print build (0 when not sliced). */
  layers: number;
}

export interface QuoteLine {
  code: 'metal' | 'printing' | 'casting' | 'finishing' | 'margin' | 'minimum_order';
  description: string;
  quantity: number;
  unit: string;
  unitPrice: number;
  amount: number;
}

export interface Quote {
  priceBookId: string;
  demoPrices: boolean;
  currency: string;
  alloy: AlloyId;
  quantity: number;
  lines: QuoteLine[];
  subtotal: number;
  total: number;
  metalPriceAt: string;
  validUntil: string;
}

const r2 = (v: number): number => Math.round(v * 100) / 100;

export const quote = (input: QuoteInput, book: PriceBook, now: Date): Quote => {
  const { alloy, quantity } = input;
  if (!Number.isInteger(quantity) || quantity < 1) throw new RangeError('quantity must be a positive integer');
  const price = book.metals[alloy];
  const name = ALLOYS[alloy].name;
  if (!price) throw new PriceBookError('no_metal_price', `The price book ${book.id} has no price for ${name}.`);
  const validUntilMetal = Date.parse(price.validUntil);
  if (!Number.isFinite(validUntilMetal) || !Number.isFinite(Date.parse(price.quotedAt))) {
    throw new PriceBookError('invalid_price_book', `The price of ${name} in ${book.id} has an invalid date.`);
  }
  if (validUntilMetal <= now.getTime()) {
    throw new PriceBookError('metal_price_expired', `The price of ${name} expired at ${price.validUntil}.`);
  }
  const lines: QuoteLine[] = [];
  const grams = r2(input.gramsPerPiece * quantity);
  const metal = Math.round(grams * price.perGram);
  lines.push({
    code: 'metal',
    description: `${name}, ${r2(input.gramsPerPiece)} g per piece incl. sprue × ${quantity} (price of ${price.quotedAt})`,
    quantity: grams,
    unit: 'g',
    unitPrice: price.perGram,
    amount: metal,
  });
  const setup = Math.round(book.printing.setupPerOrder);
  lines.push({
    code: 'printing',
    description: 'Printing: build preparation, cleaning and curing',
    quantity: 1,
    unit: 'order',
    unitPrice: book.printing.setupPerOrder,
    amount: setup,
  });
  const machine = Math.round(input.layers * book.printing.perLayer);
  if (input.layers > 0) {
    lines.push({
      code: 'printing',
      description: `Printing: machine time for ${input.layers} layers (one build for all pieces)`,
      quantity: input.layers,
      unit: 'layer',
      unitPrice: book.printing.perLayer,
      amount: machine,
    });
  }
  const resinCm3 = r2((input.volumeMm3 / 1000) * quantity);
  const resin = Math.round(resinCm3 * book.printing.perCm3);
  lines.push({
    code: 'printing',
    description: 'Printing: castable resin',
    quantity: resinCm3,
    unit: 'cm³',
    unitPrice: book.printing.perCm3,
    amount: resin,
  });
  const casting = Math.round(quantity * book.casting.perPiece);
  lines.push({
    code: 'casting',
    description: 'Casting: sprue, tree, investment, burnout, cast, divest',
    quantity,
    unit: 'piece',
    unitPrice: book.casting.perPiece,
    amount: casting,
  });
  const areaCm2 = input.areaMm2 / 100;
  const finishingUnit = book.finishing.perPiece + areaCm2 * book.finishing.perCm2;
  const finishing = Math.round(quantity * finishingUnit);
  lines.push({
    code: 'finishing',
    description: `Finishing: cut, file and polish (${r2(areaCm2)} cm² per piece)`,
    quantity,
    unit: 'piece',
    unitPrice: r2(finishingUnit),
    amount: finishing,
  });
  const markup = book.metalMarkup[ALLOYS[alloy].family];
  const labour = setup + machine + resin + casting + finishing;
  const margin = Math.round(metal * markup + labour * book.labourMargin);
  lines.push({
    code: 'margin',
    description: `Margin: ${r2(markup * 100)} % on metal, ${r2(book.labourMargin * 100)} % on printing and labour`,
    quantity: 1,
    unit: 'order',
    unitPrice: margin,
    amount: margin,
  });
  const subtotal = lines.reduce((s, l) => s + l.amount, 0);
  if (subtotal < book.minimumOrder) {
    const diff = book.minimumOrder - subtotal;
    lines.push({
      code: 'minimum_order',
      description: `Minimum order value ${book.minimumOrder / 100} ${book.currency}`,
      quantity: 1,
      unit: 'order',
      unitPrice: diff,
      amount: diff,
    });
  }
  const total = lines.reduce((s, l) => s + l.amount, 0);
  const validUntil = new Date(Math.min(validUntilMetal, now.getTime() + book.quoteValidityHours * 3_600_000));
  return {
    priceBookId: book.id,
    demoPrices: book.demo,
    currency: book.currency,
    alloy,
    quantity,
    lines,
    subtotal,
    total,
    metalPriceAt: new Date(Date.parse(price.quotedAt)).toISOString(),
    validUntil: validUntil.toISOString(),
  };
};

/**
 * DEMO PRICE BOOK — invented round numbers for development, tests and the CLI. NOT market prices: never quote a
 * customer from it (reports built with it carry `demoPrices: true`). Its metal prices are "valid" for 24 hours
 * from `now`, so demos never expire.
 */
export const demoPriceBook = (now: Date): PriceBook => {
  const quotedAt = new Date(now.getTime() - 3_600_000).toISOString();
  const validUntil = new Date(now.getTime() + 24 * 3_600_000).toISOString();
  const m = (perGram: number): MetalPrice => ({ perGram, quotedAt, validUntil, source: 'DEMO (invented)' });
  return {
    id: 'demo',
    demo: true,
    currency: 'EUR',
    metals: {
      au375y: m(4_200),
      au375w: m(4_300),
      au585y: m(6_500),
      au585w: m(6_600),
      au585r: m(6_500),
      au750y: m(8_300),
      au750w: m(8_500),
      au750r: m(8_300),
      ag925: m(120),
      pt950: m(3_600),
      pd950: m(3_400),
      brass: m(5),
      bronze: m(6),
    },
    printing: { setupPerOrder: 1_500, perLayer: 1, perCm3: 150 },
    casting: { perPiece: 2_500 },
    finishing: { perPiece: 3_000, perCm2: 40 },
    // ~20 % over casting grain for gold, ~25 % for silver (one jeweller, JEWELRY.md); others: assumption.
    metalMarkup: { gold: 0.2, silver: 0.25, platinum: 0.2, palladium: 0.2, base: 0.25 },
    labourMargin: 0.15,
    minimumOrder: 9_000,
    quoteValidityHours: 24,
  };
};
