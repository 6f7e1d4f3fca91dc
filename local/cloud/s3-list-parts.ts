import { isUploadId, type KoaContext, type KoaNext, type PartsStore, storedParts } from './s3-stored-parts.ts';
import { s3ErrorXml, xmlText } from './s3-xml.ts';

/**
 * ListParts for s3rver, which lacks it (DESIGN.md §4): answers `GET /{bucket}/{key}?uploadId=…` from the parts
 * s3rver keeps on disk for an open multipart upload, in S3's XML, so the resume path runs the real SDK call
 * locally too. Everything else goes on to s3rver.
 */
export function listPartsMiddleware(store: PartsStore) {
  return async (ctx: KoaContext, next: KoaNext): Promise<unknown> => {
    const uploadId = ctx.query.uploadId;
    if (ctx.method !== 'GET' || !isUploadId(uploadId)) return next();
    const [, bucket = '', ...key] = ctx.path.split('/');
    const parts = await storedParts(store, bucket, uploadId);
    ctx.type = 'application/xml';
    if (!parts) {
      ctx.status = 404;
      ctx.body = s3ErrorXml('NoSuchUpload', 'The specified upload does not exist.', { UploadId: uploadId });
      return undefined;
    }
    const listed = [...parts.values()]
      .sort((a, b) => a.partNumber - b.partNumber)
      .map(
        (p) =>
          `<Part><PartNumber>${p.partNumber}</PartNumber><LastModified>${p.lastModified.toISOString()}</LastModified><ETag>"${xmlText(p.md5)}"</ETag><Size>${p.size}</Size></Part>`,
      );
    ctx.status = 200;
    ctx.body = `<?xml version="1.0" encoding="UTF-8"?><ListPartsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>${xmlText(bucket)}</Bucket><Key>${xmlText(decodeURIComponent(key.join('/')))}</Key><UploadId>${xmlText(uploadId)}</UploadId><PartNumberMarker>0</PartNumberMarker><MaxParts>10000</MaxParts><IsTruncated>false</IsTruncated>${listed.join('')}</ListPartsResult>`;
    return undefined;
  };
}
