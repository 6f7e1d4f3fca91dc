import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { type S3Refusal, s3Refusal } from './s3-refusal.ts';

/**
 * The body checks S3 makes once a request's signature holds: the SHA-256 the signature covers, the
 * `x-amz-checksum-*` a client sends (as a header or an aws-chunked trailer), and the aws-chunked framing itself,
 * which S3 removes before storing (s3rver stored it as the object's bytes: the "silently corrupted" bodies of
 * DESIGN.md §4).
 */

export const sha256Hex = (body: Uint8Array): string => createHash('sha256').update(body).digest('hex');

export function contentShaMismatch(body: Uint8Array, expected: string): S3Refusal | undefined {
  const computed = sha256Hex(body);
  if (computed === expected) return undefined;
  return s3Refusal(
    'XAmzContentSHA256Mismatch',
    "The provided 'x-amz-content-sha256' header does not match what was computed.",
    {
      ClientComputedContentSHA256: expected,
      S3ComputedContentSHA256: computed,
    },
  );
}

/** The checksums S3 verifies that node can compute (CRC32C and CRC64NVME it cannot: those pass unchecked). */
const CHECKSUMS: Readonly<Record<string, { label: string; of: (body: Uint8Array) => string }>> = {
  'x-amz-checksum-crc32': { label: 'CRC32', of: (body) => uint32Base64(crc32(body)) },
  'x-amz-checksum-sha1': { label: 'SHA1', of: (body) => createHash('sha1').update(body).digest('base64') },
  'x-amz-checksum-sha256': { label: 'SHA256', of: (body) => createHash('sha256').update(body).digest('base64') },
};

/** A checksum among `fields` (headers or trailers, lower-case names) that the body does not match. */
export function checksumMismatch(
  body: Uint8Array,
  fields: Readonly<Record<string, string | undefined>>,
): S3Refusal | undefined {
  for (const [name, { label, of }] of Object.entries(CHECKSUMS)) {
    const claimed = fields[name];
    if (claimed !== undefined && claimed !== of(body)) {
      return s3Refusal('BadDigest', `The ${label} you specified did not match the calculated checksum.`);
    }
  }
  return undefined;
}

function uint32Base64(value: number): string {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value >>> 0);
  return bytes.toString('base64');
}

/**
 * An aws-chunked body (`<hex size>[;chunk-signature=…]\r\n<bytes>\r\n` … `0\r\n<trailer lines>\r\n`) as the data
 * it carries and its trailers; undefined when the framing is broken.
 */
export function decodeAwsChunked(body: Buffer): { data: Buffer; trailers: Record<string, string> } | undefined {
  const chunks: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', at);
    if (lineEnd < 0) return undefined;
    const sizeText = body.subarray(at, lineEnd).toString('latin1').split(';')[0]?.trim() ?? '';
    if (!/^[0-9a-f]+$/i.test(sizeText)) return undefined;
    const size = Number.parseInt(sizeText, 16);
    at = lineEnd + 2;
    if (size === 0) break;
    if (at + size + 2 > body.length || body.toString('latin1', at + size, at + size + 2) !== '\r\n') return undefined;
    chunks.push(body.subarray(at, at + size));
    at += size + 2;
  }
  const trailers: Record<string, string> = {};
  for (const line of body.subarray(at).toString('utf8').split('\r\n')) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) return undefined;
    trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { data: Buffer.concat(chunks), trailers };
}
