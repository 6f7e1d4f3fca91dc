import { z } from 'zod';

/**
 * The calculation report (schema version 1): what the worker stores as JSON next to the thumbnail, what the CLI
 * prints with --json, and what the web app renders. Lengths in millimetres, areas in mm², volumes in mm³,
 * weights in grams, money in integer minor units (cents) of `quote.currency`.
 * Additive changes keep `schemaVersion: 1`; anything else bumps it.
 */

const vec3 = z.tuple([z.number(), z.number(), z.number()]);

export const modelFormatSchema = z.enum(['stl-binary', 'stl-ascii', 'obj', '3mf']);

export const defectKindSchema = z.enum([
  'degenerate_face',
  'duplicate_face',
  'fin',
  'inconsistent_orientation',
  'inverted_shell',
  'hole',
  'boundary_edge',
  'non_manifold_edge',
  'non_orientable',
  'floating_shell',
  'self_intersection',
  'thin_wall',
]);

export const defectSchema = z.object({
  kind: defectKindSchema,
  severity: z.enum(['info', 'warning', 'error']),
  count: z.number().int().nonnegative(),
  message: z.string(),
  /** Representative points (mm) a viewer can point at; capped, so `count` may exceed its length. */
  locations: z.array(vec3),
});

export const repairSchema = z.object({
  kind: z.enum([
    'removed_collapsed_faces',
    'removed_duplicate_faces',
    'removed_fins',
    'unified_orientation',
    'flipped_inverted_shells',
    'filled_holes',
  ]),
  count: z.number().int().nonnegative(),
  message: z.string(),
});

export const quoteLineSchema = z.object({
  code: z.enum(['metal', 'printing', 'casting', 'finishing', 'margin', 'minimum_order']),
  description: z.string(),
  quantity: z.number().nonnegative(),
  unit: z.string(),
  /** Minor units per `unit` (may be fractional, e.g. cents per gram). */
  unitPrice: z.number(),
  /** Minor units, rounded. */
  amount: z.number().int(),
});

export const verdictSchema = z.enum(['accepted', 'review', 'rejected']);

export const calculationReportSchema = z.object({
  schemaVersion: z.literal(1),
  engine: z.object({ name: z.string(), version: z.string() }),
  generatedAt: z.iso.datetime(),
  model: z.object({
    format: modelFormatSchema,
    bytes: z.number().int().nonnegative(),
    sourceUnit: z.string(),
    trianglesRead: z.number().int().nonnegative(),
    triangles: z.number().int().nonnegative(),
    vertices: z.number().int().nonnegative(),
    notes: z.array(z.string()),
  }),
  topology: z.object({
    watertight: z.boolean(),
    orientable: z.boolean(),
    shells: z.number().int().nonnegative(),
    boundaryEdges: z.number().int().nonnegative(),
    nonManifoldEdges: z.number().int().nonnegative(),
    /** null when the self-intersection check was skipped. */
    selfIntersections: z.number().int().nonnegative().nullable(),
    eulerCharacteristic: z.number().int(),
  }),
  repairs: z.array(repairSchema),
  defects: z.array(defectSchema),
  metrics: z.object({
    volumeMm3: z.number(),
    areaMm2: z.number().nonnegative(),
    bbox: z.object({ min: vec3, max: vec3, size: vec3 }),
    centroid: vec3,
  }),
  weights: z.object({
    /** Allowance for the sprue/gate metal, as a fraction (0.1 = 10 %). */
    sprueAllowance: z.number().nonnegative(),
    perAlloy: z.array(
      z.object({
        alloy: z.string(),
        name: z.string(),
        densityGPerCm3: z.number().positive(),
        netGrams: z.number().nonnegative(),
        withSprueGrams: z.number().nonnegative(),
      }),
    ),
  }),
  wallThickness: z
    .object({
      alloy: z.string(),
      minimumAllowedMm: z.number().positive(),
      minMm: z.number().nonnegative().nullable(),
      p5Mm: z.number().nonnegative().nullable(),
      medianMm: z.number().nonnegative().nullable(),
      facesMeasured: z.number().int().nonnegative(),
      facesBelowMinimum: z.number().int().nonnegative(),
      /** Area of the faces below the minimum (mm²). */
      areaBelowMinimumMm2: z.number().nonnegative(),
      thinSpots: z.array(z.object({ at: vec3, thicknessMm: z.number().nonnegative() })),
    })
    .nullable(),
  slicing: z
    .object({
      layerHeightMm: z.number().positive(),
      layerCount: z.number().int().nonnegative(),
      volumeFromLayersMm3: z.number(),
      maxLayerAreaMm2: z.number().nonnegative(),
      maxContoursPerLayer: z.number().int().nonnegative(),
      /** Cross-section area per layer, bottom up (mm²). */
      layerAreasMm2: z.array(z.number()),
    })
    .nullable(),
  printTime: z
    .object({
      printer: z.string(),
      seconds: z.number().nonnegative(),
      layers: z.number().int().nonnegative(),
    })
    .nullable(),
  quote: z.object({
    priceBookId: z.string(),
    /** True when the prices come from the demo price book (never quote these to a customer). */
    demoPrices: z.boolean(),
    currency: z.string().length(3),
    alloy: z.string(),
    quantity: z.number().int().positive(),
    lines: z.array(quoteLineSchema),
    subtotal: z.number().int(),
    total: z.number().int(),
    /** The metal price's timestamp and the end of its validity: the quote expires with it. */
    metalPriceAt: z.iso.datetime(),
    validUntil: z.iso.datetime(),
  }),
  verdict: verdictSchema,
  reasons: z.array(z.object({ code: z.string(), message: z.string() })),
  /** Milliseconds per stage. */
  timings: z.record(z.string(), z.number().nonnegative()),
});

export type CalculationReport = z.infer<typeof calculationReportSchema>;
export type ReportDefect = z.infer<typeof defectSchema>;
export type ReportQuoteLine = z.infer<typeof quoteLineSchema>;
export type Verdict = z.infer<typeof verdictSchema>;
