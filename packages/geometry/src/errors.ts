/**
 * Typed model errors and resource limits. Every failure the engine can raise on customer input is a `ModelError`
 * with a stable `code` (for programs, logs and metrics) and a `message` a customer can read. Anything else that
 * escapes the engine is a bug.
 */

export type ModelErrorCode =
  | 'empty_file'
  | 'file_too_large'
  | 'not_a_model'
  | 'truncated_stl'
  | 'stl_count_mismatch'
  | 'invalid_stl'
  | 'invalid_obj'
  | 'invalid_3mf'
  | 'no_triangles'
  | 'too_many_triangles'
  | 'index_out_of_range'
  | 'non_finite_coordinate'
  | 'coordinate_out_of_range'
  | 'zip_bomb'
  | 'unsafe_zip_path'
  | 'unsupported_zip'
  | 'xml_doctype'
  | 'model_too_complex'
  | 'time_limit';

export class ModelError extends Error {
  override readonly name = 'ModelError';
  readonly code: ModelErrorCode;
  /** Optional machine-readable detail (line number, entry name, counts). Never contains file contents. */
  readonly detail: Readonly<Record<string, string | number>> | undefined;

  constructor(code: ModelErrorCode, message: string, detail?: Record<string, string | number>) {
    super(message);
    this.code = code;
    this.detail = detail;
  }
}

export const isModelError = (e: unknown): e is ModelError => e instanceof ModelError;

/** Resource caps. All configurable; the defaults fit a 2-core, 4 GB worker. */
export interface Limits {
  /** Largest accepted upload in bytes. */
  maxBytes: number;
  /** Largest accepted triangle count (after polygon triangulation and 3MF instancing). */
  maxTriangles: number;
  /** Largest total inflated size of the entries read from a 3MF archive. */
  maxInflatedBytes: number;
  /** Largest inflated/compressed ratio accepted for a 3MF entry (zip-bomb guard). */
  maxCompressionRatio: number;
  /** Wall-clock budget for the whole calculation, in milliseconds. */
  maxMillis: number;
  /** Largest absolute coordinate accepted, in millimetres (1 m: nothing a jeweller casts is larger). */
  maxCoordinateMm: number;
  /** Largest number of slice segments (memory bound of the slicer: 20 bytes each). */
  maxSliceSegments: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxBytes: 512 * 1024 * 1024,
  maxTriangles: 10_000_000,
  maxInflatedBytes: 1024 * 1024 * 1024,
  maxCompressionRatio: 200,
  maxMillis: 120_000,
  maxCoordinateMm: 1000,
  maxSliceSegments: 40_000_000,
});

/** A time budget checked from inside long loops (cheap: call `check()` every few thousand iterations). */
export class Deadline {
  private readonly end: number;
  private readonly clock: () => number;

  constructor(maxMillis: number, clock: () => number = () => performance.now()) {
    this.clock = clock;
    this.end = clock() + maxMillis;
  }

  check(): void {
    if (this.clock() > this.end) {
      throw new ModelError(
        'time_limit',
        'The model took too long to analyse. Please simplify it or contact us for a manual quote.',
      );
    }
  }

  static unlimited(): Deadline {
    return new Deadline(Number.POSITIVE_INFINITY);
  }
}

export const resolveLimits = (partial?: Partial<Limits>): Limits => ({ ...DEFAULT_LIMITS, ...partial });
