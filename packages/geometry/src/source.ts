/**
 * Where model bytes come from. The engine does no I/O itself: the worker holds the upload in memory (from S3), the
 * CLI passes a reader over a file descriptor, so a binary STL can be read in chunks through one reused buffer
 * instead of being copied whole into fresh memory first (≈ 4 ms per MB of first-touched pages on our VMs).
 */
export interface ByteSource {
  /** Total length in bytes. */
  readonly size: number;
  /** Copies bytes from `position` on into `target`, up to its length; returns how many (0 at the end). */
  readAt(target: Uint8Array, position: number): number;
}

/** A source over bytes already in memory. */
export const bytesSource = (bytes: Uint8Array): ByteSource => ({
  size: bytes.length,
  readAt: (target, position) => {
    const n = Math.max(0, Math.min(target.length, bytes.length - position));
    target.set(bytes.subarray(position, position + n));
    return n;
  },
});

/** Fills `target` from `position`, retrying short reads; returns the bytes read (less only at the end). */
export const readFully = (source: ByteSource, target: Uint8Array, position: number): number => {
  let done = 0;
  while (done < target.length) {
    const n = source.readAt(target.subarray(done), position + done);
    if (n <= 0) break;
    done += n;
  }
  return done;
};
