import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The parts s3rver keeps on disk for an open multipart upload (`<bucket>/._S3rver_uploads/<uploadId>/<n>` with
 * `<n>.md5` beside it), read the way S3 reports them: number, ETag (the part's MD5) and size. The shims that add
 * what s3rver lacks (ListParts, S3's checks at CompleteMultipartUpload) read them here.
 */
export interface StoredPart {
  readonly partNumber: number;
  /** The MD5 in hex, without quotes. */
  readonly md5: string;
  readonly size: number;
  readonly lastModified: Date;
}

/** The slice of s3rver's filesystem store the shims use. */
export interface PartsStore {
  getResourcePath(bucket: string, key: string | undefined, resource: string): string;
}

/** The part of Koa's context (s3rver is a Koa app) the shims use. */
export interface KoaContext {
  method: string;
  path: string;
  query: Record<string, string | string[] | undefined>;
  status: number;
  type: string;
  body: unknown;
  req: NodeJS.ReadableStream;
  request: { req: NodeJS.ReadableStream };
}
export type KoaNext = () => Promise<unknown>;

/** An upload id as s3rver makes them (hex); anything else names no folder of ours. */
export const isUploadId = (id: unknown): id is string => typeof id === 'string' && /^[\w.-]+$/.test(id);

/** The parts of `uploadId` by number, or undefined when no such upload is open (never started, completed, aborted). */
export async function storedParts(
  store: PartsStore,
  bucket: string,
  uploadId: string,
): Promise<Map<number, StoredPart> | undefined> {
  const dir = join(store.getResourcePath(bucket, undefined, 'uploads'), uploadId);
  const names = await readdir(dir).catch(() => undefined);
  if (!names) return undefined;
  const numbers = names.filter((n) => /^\d+$/.test(n)).map(Number);
  const parts = await Promise.all(
    numbers.map(async (partNumber): Promise<StoredPart | undefined> => {
      // A part still being written has no .md5 yet: S3 does not list it either.
      const [info, md5] = await Promise.all([
        stat(join(dir, String(partNumber))),
        readFile(join(dir, `${partNumber}.md5`), 'utf8'),
      ]).catch(() => [undefined, undefined] as const);
      if (!info || md5 === undefined) return undefined;
      return { partNumber, md5: md5.trim(), size: info.size, lastModified: info.mtime };
    }),
  );
  return new Map(parts.flatMap((p) => (p ? [[p.partNumber, p] as const] : [])));
}
