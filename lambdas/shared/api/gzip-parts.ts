import { constants, crc32, deflateRawSync } from 'node:zlib';

/** gzip's member header: deflate, no flags, no time, unknown OS (RFC 1952). */
const HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
/** An empty final block (fixed Huffman codes): the end of the deflate stream. */
const LAST_BLOCK = Buffer.from([0x03, 0x00]);

interface Deflated {
  readonly bytes: Buffer;
  readonly deflated: Buffer;
}

/**
 * A body made of parts, gzipped part by part: each part is deflated on its own and ends in a sync flush (byte
 * aligned, no reference to the part before), so the parts' streams joined are one deflate stream, and a part
 * that is the same string as last time is not compressed again. `gzip` of a body whose parts mostly stay (the
 * board's buckets of cards) costs the changed parts, a CRC-32 of the whole and a copy.
 */
export class PartwiseGzip {
  private kept = new Map<string, Deflated>();

  constructor(private readonly level = 6) {}

  gzip(parts: readonly string[]): Buffer {
    const next = new Map<string, Deflated>();
    const chunks: Buffer[] = [HEADER];
    let crc = 0;
    let size = 0;
    for (const part of parts) {
      let held = next.get(part) ?? this.kept.get(part);
      if (!held) {
        const bytes = Buffer.from(part, 'utf8');
        const deflated = deflateRawSync(bytes, { level: this.level, finishFlush: constants.Z_SYNC_FLUSH });
        held = { bytes, deflated };
      }
      next.set(part, held);
      chunks.push(held.deflated);
      crc = crc32(held.bytes, crc);
      size += held.bytes.length;
    }
    // Only the parts of this body are kept: the next one mostly repeats them.
    this.kept = next;
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(crc >>> 0, 0);
    trailer.writeUInt32LE(size >>> 0, 4);
    return Buffer.concat([...chunks, LAST_BLOCK, trailer]);
  }
}
