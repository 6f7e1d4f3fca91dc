import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { PartsStore } from './s3-stored-parts.ts';

/**
 * s3rver's own assembly at CompleteMultipartUpload opens every named part as a read stream and concatenates them
 * with no 'error' listener: a part file that is missing (never uploaded, or gone between the check in
 * s3-complete-upload.ts and the read) raised an unhandled ENOENT that took the whole local cloud down (issue 9).
 * The guard replaces that one store method with one that fails as S3 does (InvalidPart, NoSuchUpload) and
 * assembles through a pipeline, so any read or write error becomes the request's error, never the process's.
 */

/** The multipart side of s3rver's filesystem store (the methods the guard uses and replaces). */
export interface MultipartStore extends PartsStore {
  putObjectMultipart(
    bucket: string,
    uploadId: string,
    parts: readonly { number: number; etag?: string }[],
  ): Promise<{ size: number; md5: string }>;
  putMetadata(bucket: string, key: string, metadata: Record<string, unknown>, md5?: string): Promise<void>;
}

type S3ErrorClass = new (code: string, message: string, detail?: Record<string, string>) => Error;
/** s3rver's error: thrown from the store, its controller answers it as S3's XML with S3's status. */
const S3Error = createRequire(import.meta.url)('s3rver/lib/models/error') as S3ErrorClass;

const invalidPart = (uploadId: string, partNumber: number) =>
  new S3Error(
    'InvalidPart',
    "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
    { UploadId: uploadId, PartNumber: String(partNumber) },
  );

/** Makes `store` (s3rver's FilesystemStore) assemble multipart uploads without ever throwing outside a request. */
export function guardS3rverStore(store: PartsStore): void {
  const guarded = store as MultipartStore;
  guarded.putObjectMultipart = async (bucket, uploadId, parts) => {
    const uploadDir = join(store.getResourcePath(bucket, undefined, 'uploads'), uploadId);
    const [key, metadata] = await Promise.all([
      readFile(join(uploadDir, 'key'), 'utf8'),
      readFile(join(uploadDir, 'metadata'), 'utf8').then((text) => JSON.parse(text) as Record<string, unknown>),
    ]).catch(() => {
      throw new S3Error('NoSuchUpload', 'The specified upload does not exist.', { UploadId: uploadId });
    });
    const ordered = [...parts].sort((a, b) => a.number - b.number);
    const files = ordered.map((p) => ({ number: p.number, path: join(uploadDir, String(p.number)) }));
    for (const file of files) {
      if (!(await stat(file.path).catch(() => undefined))?.isFile()) throw invalidPart(uploadId, file.number);
    }
    // Assembled beside the parts (never seen by a listing), then moved into place in one rename.
    const assembling = join(uploadDir, 'assembling');
    const md5 = createHash('md5');
    let size = 0;
    let reading = 0;
    try {
      await pipeline(async function* () {
        for (const file of files) {
          reading = file.number;
          for await (const chunk of createReadStream(file.path)) {
            md5.update(chunk as Buffer);
            size += (chunk as Buffer).length;
            yield chunk as Buffer;
          }
        }
      }, createWriteStream(assembling));
      const objectPath = store.getResourcePath(bucket, key, 'object');
      await mkdir(dirname(objectPath), { recursive: true });
      await rename(assembling, objectPath);
    } catch (error) {
      await rm(assembling, { force: true }).catch(() => undefined);
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && reading) throw invalidPart(uploadId, reading);
      throw error;
    }
    const digest = md5.digest('hex');
    await guarded.putMetadata(bucket, key, metadata, digest);
    await rm(uploadDir, { recursive: true, force: true });
    return { size, md5: digest };
  };
}
