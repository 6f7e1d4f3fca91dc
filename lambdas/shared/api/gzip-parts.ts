import { constants, crc32, deflateRawSync } from 'node:zlib';

/** gzip's member header: deflate, no flags, no time, unknown OS (RFC 1952). */
const HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
/** An empty final block (fixed Huffman codes): the end of the deflate stream. */
const LAST_BLOCK = Buffer.from([0x03, 0x00]);

interface Deflated {
  readonly deflated: Buffer;
  /** The part's own CRC-32 and length in bytes: the body's CRC is combined from its parts', none read again. */
  readonly crc: number;
  readonly length: number;
}

/**
 * A body made of parts, gzipped part by part: each part is deflated on its own and ends in a sync flush (byte
 * aligned, no reference to the part before), so the parts' streams joined are one deflate stream, and a part
 * that is the same string as last time is not compressed again. `gzip` of a body whose parts mostly stay (the
 * board's buckets of cards) costs the changed parts and a copy.
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
        held = { deflated, crc: crc32(bytes), length: bytes.length };
      }
      next.set(part, held);
      chunks.push(held.deflated);
      crc = crc32Combine(crc, held.crc, held.length);
      size += held.length;
    }
    // Only the parts of this body are kept: the next one mostly repeats them.
    this.kept = next;
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(crc >>> 0, 0);
    trailer.writeUInt32LE(size >>> 0, 4);
    return Buffer.concat([...chunks, LAST_BLOCK, trailer]);
  }
}

/** CRC-32's polynomial, reflected (gzip's, zlib's). */
const POLY = 0xedb88320;

/** a × b modulo the polynomial, both reflected (bit 31 is x⁰). */
function multModP(a: number, b: number): number {
  let product = 0;
  for (let bit = 0x80000000; bit !== 0 && a !== 0; bit >>>= 1) {
    if (a & bit) {
      product ^= b;
      a ^= bit;
    }
    b = b & 1 ? (b >>> 1) ^ POLY : b >>> 1;
  }
  return product >>> 0;
}

/** x^(2^k) modulo the polynomial, k = 0…31. */
const X_POW_2K = (() => {
  const table = [0x40000000];
  for (let k = 1; k < 32; k++) table.push(multModP(table[k - 1] as number, table[k - 1] as number));
  return table;
})();

/**
 * The CRC-32 of A then B from A's CRC, B's and B's length (as zlib's crc32_combine): A's CRC shifted by B's bits,
 * i.e. multiplied by x^(8·length), then B's added. O(log length), whatever the sizes.
 */
export function crc32Combine(crcA: number, crcB: number, lengthB: number): number {
  let shift = 0x80000000;
  for (let k = 3, n = lengthB; n > 0; k++, n = Math.floor(n / 2)) {
    if (n % 2) shift = multModP(X_POW_2K[k % 32] as number, shift);
  }
  return (multModP(shift, crcA) ^ crcB) >>> 0;
}
