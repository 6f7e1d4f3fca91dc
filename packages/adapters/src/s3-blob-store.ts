import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListPartsCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { DomainError, ObjectTooLarge } from '@facet/domain/errors';
import type { BlobStore, PresignedPart } from '@facet/domain/ports';

export class S3BlobStore implements BlobStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async startMultipartUpload(key: string, contentType: string): Promise<string> {
    const { UploadId } = await this.s3.send(
      new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: key, ContentType: contentType }),
    );
    if (!UploadId) throw new Error('S3 returned no UploadId');
    return UploadId;
  }

  async presignUploadParts(
    key: string,
    uploadId: string,
    parts: readonly { readonly partNumber: number; readonly size: number }[],
    ttlSeconds: number,
  ): Promise<PresignedPart[]> {
    return Promise.all(
      parts.map(async ({ partNumber, size }) => ({
        partNumber,
        // Content-Length is signed: S3 refuses a PUT of any other length (the declared size holds).
        url: await getSignedUrl(
          this.s3,
          new UploadPartCommand({
            Bucket: this.bucket,
            Key: key,
            UploadId: uploadId,
            PartNumber: partNumber,
            ContentLength: size,
          }),
          { expiresIn: ttlSeconds, signableHeaders: new Set(['content-length']) },
        ),
      })),
    );
  }

  async listUploadedParts(key: string, uploadId: string) {
    const parts: { partNumber: number; etag: string; size: number }[] = [];
    let marker: string | undefined;
    do {
      const page = await this.s3.send(
        new ListPartsCommand({
          Bucket: this.bucket,
          Key: key,
          UploadId: uploadId,
          ...(marker ? { PartNumberMarker: marker } : {}),
        }),
      );
      for (const p of page.Parts ?? []) {
        if (p.PartNumber && p.ETag) parts.push({ partNumber: p.PartNumber, etag: p.ETag, size: p.Size ?? 0 });
      }
      marker = page.IsTruncated ? page.NextPartNumberMarker : undefined;
    } while (marker);
    return parts;
  }

  async completeMultipartUpload(key: string, uploadId: string, parts: readonly { partNumber: number; etag: string }[]) {
    try {
      await this.s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.bucket,
          Key: key,
          UploadId: uploadId,
          MultipartUpload: { Parts: parts.map((p) => ({ PartNumber: p.partNumber, ETag: p.etag })) },
        }),
      );
    } catch (e) {
      const name = (e as { name?: string }).name;
      if (
        name === 'InvalidPart' ||
        name === 'InvalidPartOrder' ||
        name === 'NoSuchUpload' ||
        name === 'EntityTooSmall'
      ) {
        throw new DomainError(
          'upload_incomplete',
          'The upload could not be completed: a part is missing or its ETag does not match.',
        );
      }
      throw e;
    }
  }

  async get(key: string, maxBytes: number): Promise<Uint8Array> {
    const head = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
    if ((head.ContentLength ?? 0) > maxBytes) throw new ObjectTooLarge(head.ContentLength ?? 0, maxBytes);
    const { Body } = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    if (!Body) throw new Error(`Object ${key} has no body`);
    return Body.transformToByteArray();
  }

  async put(key: string, body: Uint8Array | string, contentType: string): Promise<void> {
    await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }));
  }

  presignGet(key: string, ttlSeconds: number): Promise<string> {
    return getSignedUrl(this.s3, new GetObjectCommand({ Bucket: this.bucket, Key: key }), { expiresIn: ttlSeconds });
  }
}
