/** What a calculation is asked for, and what it runs with. */
import type { AlloyId } from '@facet/domain/alloys';
import type { CastingRules } from '@facet/domain/casting-rules';
import type { PriceBook } from '@facet/domain/pricing';
import type { Limits } from '@facet/geometry/errors';
import type { PrinterProfile } from '@facet/geometry/slice';
import type { RepairOptions } from '@facet/geometry/topology';

export interface CalculationRequest {
  alloy: AlloyId;
  quantity: number;
  /** Slicing layer height (mm); default 0.025. */
  layerHeightMm?: number;
  /** Weld tolerance (mm); default 0.0001. */
  weldToleranceMm?: number;
  /** Render a thumbnail PNG (default true). */
  thumbnail?: boolean;
  /** Also return the repaired mesh as binary STL when any repair was applied (default false). */
  repairedModel?: boolean;
  /** Thumbnail edge in pixels (default 256). */
  thumbnailSize?: number;
  /** Measure wall thickness (default true). */
  wallThickness?: boolean;
  /** Check self-intersections (default true; bounded by `selfIntersectionMillis`). */
  selfIntersections?: boolean;
  selfIntersectionMillis?: number;
  /** Slice (default true). */
  slicing?: boolean;
  /** Render one PNG mask per layer at this pixel size (mm); omitted = no layer images. */
  layerImagePixelMm?: number;
  /** Printer for the print-time estimate (default: the demo generic DLP profile). */
  printer?: PrinterProfile;
}

export type ProgressFn = (stage: string, percent: number) => void;

export interface CalculationDeps {
  priceBook: PriceBook;
  now: Date;
  onProgress?: ProgressFn;
  limits?: Partial<Limits>;
  rules?: CastingRules;
  repair?: Partial<RepairOptions>;
  /** Monotonic clock for timings and the time cap (default performance.now). */
  clock?: () => number;
}
