/**
 * Format detection by content (never by file name) and dispatch to the readers. O(bytes).
 */
import { Deadline, type Limits, ModelError, resolveLimits } from './errors.ts';
import type { ParsedModel } from './mesh.ts';
import { parse3mf } from './parse-3mf.ts';
import { parseObj } from './parse-obj.ts';
import {
  binaryStlSizeMatches,
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

const KNOWN_NON_MODELS: ReadonlyArray<{ sig: readonly number[]; what: string }> = [
  { sig: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { sig: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
  { sig: [0x47, 0x49, 0x46, 0x38], what: 'a GIF image' },
  { sig: [0x25, 0x50, 0x44, 0x46], what: 'a PDF document' },
  { sig: [0x1f, 0x8b], what: 'a gzip archive' },
  { sig: [0x52, 0x61, 0x72, 0x21], what: 'a RAR archive' },
  { sig: [0x37, 0x7a, 0xbc, 0xaf], what: 'a 7-Zip archive' },
];

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

export const detectFormat = (bytes: Uint8Array): DetectedFormat => {
  if (bytes.length >= 4 && startsWith(bytes, ZIP_SIGNATURE)) return '3mf';
  if (binaryStlSizeMatches(bytes)) return 'stl-binary';
  if (looksLikeText(bytes)) {
    const p = skipBlank(bytes, 0);
    if (matchWord(bytes, p, 'solid')) return 'stl-ascii';
    if (looksLikeObj(bytes)) return 'obj';
    return 'unknown';
  }
  for (const k of KNOWN_NON_MODELS) if (startsWith(bytes, k.sig)) return 'unknown';
  // Binary, not a zip, size disagrees with the count: treat as a damaged binary STL.
  return 'stl-binary';
};

const describeNonModel = (bytes: Uint8Array): string => {
  for (const k of KNOWN_NON_MODELS) if (startsWith(bytes, k.sig)) return k.what;
  const p = skipBlank(bytes, 0);
  if (bytes[p] === 60) return 'an HTML or XML document';
  return looksLikeText(bytes) ? 'a text file' : 'an unknown kind of file';
};

export interface ParseOptions {
  limits?: Partial<Limits>;
  deadline?: Deadline;
}

const checkSize = (size: number, limits: Limits): void => {
  if (size === 0) throw new ModelError('empty_file', 'The file is empty.');
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
      if (bytes.length < STL_HEADER_BYTES && looksLikeText(bytes)) break;
      return parseBinaryStl(bytes, limits, deadline);
    case 'stl-ascii':
      return parseAsciiStl(bytes, limits, deadline);
    case 'obj':
      return parseObj(bytes, limits, deadline);
    case 'unknown':
      break;
  }
  throw new ModelError(
    'not_a_model',
    `This file is not a 3D model (it looks like ${describeNonModel(bytes)}). Please upload STL, OBJ or 3MF.`,
  );
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
