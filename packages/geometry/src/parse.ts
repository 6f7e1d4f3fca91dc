/**
 * Format detection by content (never by file name) and dispatch to the readers. O(bytes).
 */
import { Deadline, type Limits, ModelError, resolveLimits } from './errors.ts';
import type { ParsedModel } from './mesh.ts';
import { ACCEPTED_FORMATS, describeContent, knownNonModel, notAModel } from './not-a-model.ts';
import { parse3mf } from './parse-3mf.ts';
import { parseObj } from './parse-obj.ts';
import {
  binaryStlSizeMatches,
  looksLikeDamagedBinaryStl,
  parseAsciiStl,
  parseBinaryStl,
  parseBinaryStlSource,
  STL_HEADER_BYTES,
  stlHeaderMatchesSize,
} from './parse-stl.ts';
import { type ByteSource, readFully } from './source.ts';
import { looksLikeText, matchWord } from './text.ts';

export type DetectedFormat = 'stl-binary' | 'stl-ascii' | 'obj' | '3mf' | 'unknown';

const startsWith = (b: Uint8Array, sig: readonly number[]): boolean => sig.every((v, i) => b[i] === v);

const skipBlank = (b: Uint8Array, p: number): number => {
  let q = p;
  // UTF-8 byte-order mark.
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf && q === 0) q = 3;
  while (q < b.length && (b[q] === 32 || b[q] === 9 || b[q] === 10 || b[q] === 13)) q++;
  return q;
};

/** True when a line in the first `window` bytes starts with `v ` (a vertex): every OBJ with geometry has one. */
const looksLikeObj = (b: Uint8Array, window = 1 << 20): boolean => {
  const end = Math.min(b.length, window);
  let lineStart = true;
  for (let i = 0; i < end; i++) {
    const c = b[i] ?? 0;
    if (lineStart && c === 118 && (b[i + 1] === 32 || b[i + 1] === 9)) return true;
    lineStart = c === 10 || (lineStart && (c === 32 || c === 9));
  }
  return false;
};

/** Local file header of a zip archive (3MF). */
const ZIP_SIGNATURE = [0x50, 0x4b, 0x03, 0x04] as const;

/**
 * A binary STL is recognised by its size agreeing with its triangle count; a binary file whose size disagrees is
 * still read as one (to say it is truncated or miscounted) only while its records look like STL records.
 */
export const detectFormat = (bytes: Uint8Array): DetectedFormat => {
  if (bytes.length >= 4 && startsWith(bytes, ZIP_SIGNATURE)) return '3mf';
  if (binaryStlSizeMatches(bytes)) return 'stl-binary';
  if (looksLikeText(bytes)) {
    const p = skipBlank(bytes, 0);
    if (matchWord(bytes, p, 'solid')) return 'stl-ascii';
    if (looksLikeObj(bytes)) return 'obj';
    return 'unknown';
  }
  if (knownNonModel(bytes)) return 'unknown';
  return looksLikeDamagedBinaryStl(bytes) ? 'stl-binary' : 'unknown';
};

export interface ParseOptions {
  limits?: Partial<Limits>;
  deadline?: Deadline;
}

const checkSize = (size: number, limits: Limits): void => {
  if (size === 0) throw new ModelError('empty_file', `The file is empty (0 bytes). ${ACCEPTED_FORMATS}`);
  if (size > limits.maxBytes) {
    throw new ModelError(
      'file_too_large',
      `The file is ${Math.ceil(size / 1048576)} MB; the limit is ${Math.floor(limits.maxBytes / 1048576)} MB.`,
      { bytes: size, limit: limits.maxBytes },
    );
  }
};

/** Reads any supported model. Throws `ModelError` on anything it cannot read. */
export const parseModel = (bytes: Uint8Array, opts: ParseOptions = {}): ParsedModel => {
  const limits = resolveLimits(opts.limits);
  const deadline = opts.deadline ?? new Deadline(limits.maxMillis);
  checkSize(bytes.length, limits);
  const format = detectFormat(bytes);
  switch (format) {
    case '3mf':
      return parse3mf(bytes, limits, deadline);
    case 'stl-binary':
      return parseBinaryStl(bytes, limits, deadline);
    case 'stl-ascii':
      return parseAsciiStl(bytes, limits, deadline);
    case 'obj':
      return parseObj(bytes, limits, deadline);
    case 'unknown':
      break;
  }
  throw notAModel(describeContent(bytes));
};

/**
 * `parseModel` over a source (a file, read by the caller): a well-formed binary STL — what `detectFormat` calls
 * 'stl-binary' by its size — is read in chunks; any other file is read whole and handed to `parseModel`. Same
 * results and errors as `parseModel` on the whole bytes.
 */
export const parseModelSource = (source: ByteSource, opts: ParseOptions = {}): ParsedModel => {
  const limits = resolveLimits(opts.limits);
  checkSize(source.size, limits);
  const head = new Uint8Array(Math.min(source.size, STL_HEADER_BYTES));
  const headBytes = head.subarray(0, readFully(source, head, 0));
  if (!startsWith(headBytes, ZIP_SIGNATURE) && stlHeaderMatchesSize(headBytes, source.size)) {
    return parseBinaryStlSource(source, limits, opts.deadline ?? new Deadline(limits.maxMillis));
  }
  const bytes = new Uint8Array(source.size);
  return parseModel(bytes.subarray(0, readFully(source, bytes, 0)), opts);
};
