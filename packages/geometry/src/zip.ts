/**
 * A minimal, defensive ZIP reader for 3MF: central directory only, store/deflate only, no zip64, no encryption.
 * Every entry name is checked for path traversal; inflation is streamed in small chunks so that a bomb (high
 * ratio or a lying size field) is stopped after at most one chunk's worth of output past the cap.
 */
import { Inflate } from 'fflate';
import { type Deadline, type Limits, ModelError } from './errors.ts';

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  declaredSize: number;
  localHeaderOffset: number;
}

const MAX_ENTRIES = 10_000;
const CHUNK = 64 * 1024;

const invalid = (why: string): ModelError =>
  new ModelError('invalid_3mf', `The 3MF file is damaged or not a valid archive (${why}).`);

/** A name is unsafe when it could escape an extraction directory on any OS. */
export const isUnsafeZipName = (name: string): boolean => {
  if (name.length === 0 || name.includes('\0') || name.includes('\\')) return true;
  if (name.startsWith('/') || /^[a-zA-Z]:/.test(name)) return true;
  return name.split('/').some((seg) => seg === '..');
};

export const readZipDirectory = (b: Uint8Array): ZipEntry[] => {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const u16 = (o: number): number => view.getUint16(o, true);
  const u32 = (o: number): number => view.getUint32(o, true);
  if (b.length < 22) throw invalid('too short');
  let eocd = -1;
  const stop = Math.max(0, b.length - 22 - 65535);
  for (let o = b.length - 22; o >= stop; o--) {
    if (b[o] === 0x50 && b[o + 1] === 0x4b && b[o + 2] === 0x05 && b[o + 3] === 0x06) {
      eocd = o;
      break;
    }
  }
  if (eocd < 0) throw invalid('no central directory');
  const count = u16(eocd + 10);
  const cdSize = u32(eocd + 12);
  const cdOffset = u32(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff || cdSize === 0xffffffff) {
    throw new ModelError('unsupported_zip', 'This 3MF uses ZIP64, which is not supported. Please re-export it.');
  }
  if (count > MAX_ENTRIES) throw invalid('too many entries');
  if (cdOffset + cdSize > b.length) throw invalid('central directory out of bounds');
  const decoder = new TextDecoder('utf-8');
  const entries: ZipEntry[] = [];
  let o = cdOffset;
  for (let i = 0; i < count; i++) {
    if (o + 46 > b.length || u32(o) !== 0x02014b50) throw invalid('bad central directory entry');
    const flags = u16(o + 8);
    const method = u16(o + 10);
    const compressedSize = u32(o + 20);
    const declaredSize = u32(o + 24);
    const nameLen = u16(o + 28);
    const extraLen = u16(o + 30);
    const commentLen = u16(o + 32);
    const localHeaderOffset = u32(o + 42);
    if (o + 46 + nameLen > b.length) throw invalid('entry name out of bounds');
    const name = decoder.decode(b.subarray(o + 46, o + 46 + nameLen));
    if (isUnsafeZipName(name)) {
      throw new ModelError('unsafe_zip_path', 'The 3MF archive contains an unsafe file name and was rejected.', {
        entry: name.slice(0, 120),
      });
    }
    entries.push({ name, method, flags, compressedSize, declaredSize, localHeaderOffset });
    o += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
};

export interface InflateBudget {
  /** Bytes still allowed across all entries. */
  remaining: number;
}

/** Extracts one entry, enforcing the inflated-size budget and the compression ratio. */
export const extractZipEntry = (
  b: Uint8Array,
  e: ZipEntry,
  limits: Limits,
  budget: InflateBudget,
  deadline: Deadline,
): Uint8Array => {
  if (e.flags & 1) throw new ModelError('unsupported_zip', 'The 3MF archive is encrypted.');
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const h = e.localHeaderOffset;
  if (h + 30 > b.length || view.getUint32(h, true) !== 0x04034b50) throw invalid('bad local header');
  const start = h + 30 + view.getUint16(h + 26, true) + view.getUint16(h + 28, true);
  const end = start + e.compressedSize;
  if (end > b.length) throw invalid('entry data out of bounds');
  const data = b.subarray(start, end);
  const bomb = (): ModelError =>
    new ModelError('zip_bomb', 'The 3MF archive expands to far more data than a model needs and was rejected.', {
      entry: e.name.slice(0, 120),
    });
  if (e.method === 0) {
    if (data.length > budget.remaining) throw bomb();
    budget.remaining -= data.length;
    return data;
  }
  if (e.method !== 8) {
    throw new ModelError('unsupported_zip', `The 3MF archive uses an unsupported compression method (${e.method}).`);
  }
  // The declared size is a hint only: it can lie, so the cap is enforced on what actually comes out.
  const cap = Math.min(budget.remaining, Math.max(1 << 20, e.compressedSize * limits.maxCompressionRatio));
  if (e.declaredSize > budget.remaining) throw bomb();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let over = false;
  const inflater = new Inflate((chunk: Uint8Array) => {
    total += chunk.length;
    if (total > cap) over = true;
    else chunks.push(chunk);
  });
  try {
    for (let p = 0; p < data.length && !over; p += CHUNK) {
      const q = Math.min(p + CHUNK, data.length);
      inflater.push(data.subarray(p, q), q === data.length);
      deadline.check();
    }
  } catch (err) {
    if (err instanceof ModelError) throw err;
    throw invalid('corrupt compressed data');
  }
  if (over) throw bomb();
  budget.remaining -= total;
  const out = new Uint8Array(total);
  let k = 0;
  for (const c of chunks) {
    out.set(c, k);
    k += c.length;
  }
  return out;
};
