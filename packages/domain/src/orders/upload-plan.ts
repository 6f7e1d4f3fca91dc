const MiB = 1024 * 1024;
/** S3's floor for every part but the last, and its ceiling on the number of parts. */
const MIN_PART = 5 * MiB;
const MAX_PARTS = 10_000;
/** A part size that keeps browser retries cheap on slow shop connections. */
const PREFERRED_PART = 8 * MiB;

/** Splits a declared size into multipart parts S3 accepts. */
export function planParts(size: number): { partSize: number; partCount: number } {
  const partSize = Math.max(MIN_PART, PREFERRED_PART, Math.ceil(size / MAX_PARTS));
  return { partSize, partCount: Math.max(1, Math.ceil(size / partSize)) };
}

/** Every part of the plan with its exact size: `partSize` each, the last one the rest of the declared size. */
export function plannedParts(size: number): { partNumber: number; size: number }[] {
  const { partSize, partCount } = planParts(size);
  return Array.from({ length: partCount }, (_, i) => ({
    partNumber: i + 1,
    size: i < partCount - 1 ? partSize : size - partSize * (partCount - 1),
  }));
}
