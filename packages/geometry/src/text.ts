/**
 * Byte-level scanning helpers for the text formats (ASCII STL, OBJ). Working on bytes avoids building a string
 * per line; numbers are parsed by hand with a fallback to `Number()` for anything unusual (which then yields NaN
 * and a typed error upstream).
 */

export const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 13 || c === 11 || c === 12;
export const isLineEnd = (c: number): boolean => c === 10;

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/** Result slot for `scanNumber` (module-level to avoid allocating per number). */
export const scan = { value: 0, end: 0 };

const decoder = new TextDecoder('latin1');

/**
 * Parses a decimal number starting at `pos` (after skipping spaces/tabs). Sets `scan.value`/`scan.end`.
 * Returns false when no number token starts there. Tokens with unexpected characters (nan, inf, hex) become NaN.
 */
export const scanNumber = (b: Uint8Array, pos: number, end: number): boolean => {
  let p = pos;
  while (p < end && isSpace(b[p] ?? 0)) p++;
  const start = p;
  let neg = false;
  let c = b[p] ?? 0;
  if (c === 45 || c === 43) {
    neg = c === 45;
    p++;
  }
  let mant = 0;
  let digits = 0;
  let exp = 0;
  c = b[p] ?? 0;
  while (p < end && c >= 48 && c <= 57) {
    if (digits < 17) mant = mant * 10 + (c - 48);
    else exp++;
    digits++;
    p++;
    c = b[p] ?? 0;
  }
  if (c === 46) {
    p++;
    c = b[p] ?? 0;
    while (p < end && c >= 48 && c <= 57) {
      if (digits < 17) {
        mant = mant * 10 + (c - 48);
        exp--;
      }
      digits++;
      p++;
      c = b[p] ?? 0;
    }
  }
  let simple = digits > 0;
  if (simple && (c === 101 || c === 69) && p < end) {
    p++;
    c = b[p] ?? 0;
    let eneg = false;
    if (c === 45 || c === 43) {
      eneg = c === 45;
      p++;
      c = b[p] ?? 0;
    }
    let e = 0;
    let ed = 0;
    while (p < end && c >= 48 && c <= 57) {
      if (e < 10000) e = e * 10 + (c - 48);
      ed++;
      p++;
      c = b[p] ?? 0;
    }
    if (ed === 0) simple = false;
    exp += eneg ? -e : e;
  }
  // Token must end at whitespace / line end / '/' (OBJ face refs) / end of buffer.
  const terminated = p >= end || isSpace(c) || c === 10 || c === 47;
  if (p === start && !((c | 32) >= 97 && (c | 32) <= 122)) return false;
  if (!simple || !terminated) {
    let q = p;
    while (q < end && !isSpace(b[q] ?? 0) && b[q] !== 10) q++;
    scan.value = Number(decoder.decode(b.subarray(start, q)));
    scan.end = q;
    return true;
  }
  let v = mant;
  if (exp !== 0) {
    if (exp > 0 && exp < 23) v = mant * (POW10[exp] ?? 1);
    else if (exp < 0 && exp > -23) v = mant / (POW10[-exp] ?? 1);
    else v = mant * 10 ** exp;
  }
  scan.value = neg ? -v : v;
  scan.end = p;
  return true;
};

/** True when the bytes at `pos` spell `word` (ASCII, case-insensitive for letters). */
export const matchWord = (b: Uint8Array, pos: number, word: string): boolean => {
  if (pos + word.length > b.length) return false;
  for (let i = 0; i < word.length; i++) {
    const c = b[pos + i] ?? 0;
    const w = word.charCodeAt(i);
    if (c !== w && (c | 32) !== w) return false;
  }
  return true;
};

/** Heuristic: true when the first `n` bytes look like text (no NULs, few control characters). */
export const looksLikeText = (b: Uint8Array, n = 1024): boolean => {
  const m = Math.min(n, b.length);
  let bad = 0;
  for (let i = 0; i < m; i++) {
    const c = b[i] ?? 0;
    if (c === 0) return false;
    if (c < 32 && c !== 9 && c !== 10 && c !== 13) bad++;
  }
  return bad <= m / 100;
};
