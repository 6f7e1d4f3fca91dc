/** S3's XML, the few pieces the local S3 writes itself: escaped text and the error document. */

export const xmlText = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The text of an element as a parser would give it (the entities S3's SDKs write, numeric ones included). */
export function xmlDecode(s: string): string {
  const named: Record<string, string> = { quot: '"', apos: "'", lt: '<', gt: '>', amp: '&' };
  return s.replace(/&(#x[0-9a-f]+|#\d+|quot|apos|lt|gt|amp);/gi, (_, entity: string) => {
    if (entity[0] !== '#') return named[entity.toLowerCase()] ?? '';
    const hex = entity[1] === 'x' || entity[1] === 'X';
    const codePoint = Number.parseInt(entity.slice(hex ? 2 : 1), hex ? 16 : 10);
    return codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : '';
  });
}

/** S3's error body: `<Error><Code>…</Code><Message>…</Message>…details…</Error>`. */
export function s3ErrorXml(code: string, message: string, detail: Readonly<Record<string, string>> = {}): string {
  const extra = Object.entries(detail)
    .map(([name, value]) => `<${name}>${xmlText(value)}</${name}>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xmlText(message)}</Message>${extra}</Error>`;
}
