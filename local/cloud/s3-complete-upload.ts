import { Readable } from 'node:stream';
import {
  isUploadId,
  type KoaContext,
  type KoaNext,
  type PartsStore,
  type StoredPart,
  storedParts,
} from './s3-stored-parts.ts';
import { s3ErrorXml, xmlDecode } from './s3-xml.ts';

/** S3's minimum size of every part but the last. */
export const MIN_PART_BYTES = 5 * 1024 * 1024;
/** A CompleteMultipartUpload body lists at most 10,000 parts of ~100 bytes each. */
const MAX_BODY_BYTES = 2 * 1024 * 1024;

export interface RequestedPart {
  readonly partNumber: number;
  /** As the client wrote it (quotes or not). */
  readonly etag: string;
}

export type CompleteRefusal = { status: number; code: string; message: string; detail: Record<string, string> };

/**
 * S3's checks at CompleteMultipartUpload, which s3rver skips: it assembles whatever it is given, and a part that
 * was never uploaded made it throw outside any request (an unhandled ENOENT that took the process down, issue 9).
 * Refused before s3rver sees the request, with S3's codes; a body that passes is handed on unchanged.
 */
export function completeUploadMiddleware(store: PartsStore) {
  return async (ctx: KoaContext, next: KoaNext): Promise<unknown> => {
    const uploadId = ctx.query.uploadId;
    if (ctx.method !== 'POST' || typeof uploadId !== 'string') return next();
    const [, bucket = ''] = ctx.path.split('/');
    const body = await readBody(ctx.req, MAX_BODY_BYTES);
    const requested = body === undefined ? undefined : parseCompleteRequest(body.toString('utf8'));
    const stored = isUploadId(uploadId) ? await storedParts(store, bucket, uploadId) : undefined;
    const refusal = checkComplete(uploadId, requested, stored);
    if (refusal) {
      ctx.status = refusal.status;
      ctx.type = 'application/xml';
      ctx.body = s3ErrorXml(refusal.code, refusal.message, refusal.detail);
      return undefined;
    }
    // s3rver reads the body itself: give it the bytes already read.
    // The replay stands in for the request wherever s3rver reads it (its headers and socket too: the object-created
    // notification reads the host).
    const original = ctx.req as unknown as Record<string, unknown>;
    const replay = Object.assign(Readable.from([body ?? Buffer.alloc(0)]), {
      headers: original.headers,
      rawHeaders: original.rawHeaders,
      method: original.method,
      url: original.url,
      httpVersion: original.httpVersion,
      socket: original.socket,
      connection: original.socket,
    });
    ctx.req = replay;
    ctx.request.req = replay;
    return next();
  };
}

/** The parts a CompleteMultipartUpload body lists, in its order; undefined when it is not such a document. */
export function parseCompleteRequest(xml: string): RequestedPart[] | undefined {
  if (!/<CompleteMultipartUpload[\s>]/.test(xml)) return undefined;
  const parts: RequestedPart[] = [];
  for (const [, inner = ''] of xml.matchAll(/<Part>([\s\S]*?)<\/Part>/g)) {
    const partNumber = /<PartNumber>\s*(\d+)\s*<\/PartNumber>/.exec(inner)?.[1];
    const etag = /<ETag>([\s\S]*?)<\/ETag>/.exec(inner)?.[1];
    if (partNumber === undefined || etag === undefined) return undefined;
    parts.push({ partNumber: Number(partNumber), etag: xmlDecode(etag).trim() });
  }
  return parts.length > 0 ? parts : undefined;
}

/** What S3 answers to completing `requested` against the parts it holds; undefined when it would complete. */
export function checkComplete(
  uploadId: string,
  requested: readonly RequestedPart[] | undefined,
  stored: ReadonlyMap<number, StoredPart> | undefined,
): CompleteRefusal | undefined {
  if (!stored) {
    return {
      status: 404,
      code: 'NoSuchUpload',
      message: 'The specified upload does not exist.',
      detail: { UploadId: uploadId },
    };
  }
  if (!requested) {
    return {
      status: 400,
      code: 'MalformedXML',
      message: 'The XML you provided was not well-formed or did not validate against our published schema.',
      detail: {},
    };
  }
  for (let i = 1; i < requested.length; i++) {
    if ((requested[i]?.partNumber ?? 0) <= (requested[i - 1]?.partNumber ?? 0)) {
      return {
        status: 400,
        code: 'InvalidPartOrder',
        message: 'The list of parts was not in ascending order. Parts must be ordered by part number.',
        detail: { UploadId: uploadId },
      };
    }
  }
  for (const [i, part] of requested.entries()) {
    const held = stored.get(part.partNumber);
    // S3 compares ETags without their quotes.
    if (!held || held.md5.toLowerCase() !== part.etag.replace(/"/g, '').toLowerCase()) {
      return {
        status: 400,
        code: 'InvalidPart',
        message:
          "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
        detail: { UploadId: uploadId, PartNumber: String(part.partNumber), ETag: part.etag },
      };
    }
    if (i < requested.length - 1 && held.size < MIN_PART_BYTES) {
      return {
        status: 400,
        code: 'EntityTooSmall',
        message: 'Your proposed upload is smaller than the minimum allowed object size.',
        detail: {
          UploadId: uploadId,
          PartNumber: String(part.partNumber),
          ProposedSize: String(held.size),
          MinSizeAllowed: String(MIN_PART_BYTES),
        },
      };
    }
  }
  return undefined;
}

/**
 * The whole body, or undefined past `limit` bytes (not a document S3 would read either). Read to its end even
 * then: stopping early would close the connection before the answer.
 */
async function readBody(stream: NodeJS.ReadableStream, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += bytes.length;
    if (size <= limit) chunks.push(bytes);
  }
  return size <= limit ? Buffer.concat(chunks) : undefined;
}
