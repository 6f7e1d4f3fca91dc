import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { s3Client } from '@facet/adapters/aws-clients';
import { S3BlobStore } from '@facet/adapters/s3-blob-store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localBucketName } from '../../local/cloud/resources.ts';
import { startEmulators } from './emulators.ts';

/**
 * The local S3 refuses what S3 refuses (issue 9, defects 1–4): signatures, expiry, signed lengths, unknown parts
 * and wrong ETags at complete — and no request takes it down.
 */
describe('the local S3 behind its verifying front', () => {
  let emulators: Awaited<ReturnType<typeof startEmulators>>;
  let blobs: S3BlobStore;
  const bucket = localBucketName('models');
  beforeAll(async () => {
    emulators = await startEmulators();
    blobs = new S3BlobStore(s3Client(true), bucket);
  });
  afterAll(async () => {
    await emulators?.stop();
  });
  const endpoint = () => process.env.AWS_ENDPOINT_URL_S3 ?? '';

  it('serves a presigned link, and refuses it with its signature removed or altered, or expired', async () => {
    // Prepare
    await blobs.put('tenants/ten_a/report.json', '{"ok":true}', 'application/json');
    const link = await blobs.presignGet('tenants/ten_a/report.json', 60);
    const unsigned = new URL(link);
    unsigned.searchParams.delete('X-Amz-Signature');
    const altered = new URL(link);
    altered.searchParams.set('X-Amz-Signature', '0'.repeat(64));
    const short = await blobs.presignGet('tenants/ten_a/report.json', 1);
    // Act
    const good = await fetch(link);
    const [noSignature, wrongSignature] = await Promise.all([fetch(unsigned), fetch(altered)]);
    await new Promise((r) => setTimeout(r, 2100));
    const expired = await fetch(short);
    // Assess
    expect(good.status).toBe(200);
    expect(await good.json()).toEqual({ ok: true });
    // As S3: a presigned request missing one of its parameters is malformed (400), a wrong signature is 403.
    expect(noSignature.status).toBe(400);
    expect(await noSignature.text()).toContain('AuthorizationQueryParametersError');
    expect(wrongSignature.status).toBe(403);
    expect(await wrongSignature.text()).toContain('SignatureDoesNotMatch');
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('expired');
  });

  it('refuses an unsigned listing of the bucket (every tenant’s keys)', async () => {
    const res = await fetch(`${endpoint()}/${bucket}?list-type=2`);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('AccessDenied');
  });

  it('refuses a link stripped of its whole query signature, or pointed at another key, with 403', async () => {
    // Prepare
    await blobs.put('tenants/ten_a/report.json', '{"ok":true}', 'application/json');
    await blobs.put('tenants/ten_b/report.json', '{"secret":true}', 'application/json');
    const link = new URL(await blobs.presignGet('tenants/ten_a/report.json', 60));
    const bare = new URL(link);
    for (const name of [...link.searchParams.keys()]) if (name.startsWith('X-Amz-')) bare.searchParams.delete(name);
    const elsewhere = new URL(link);
    elsewhere.pathname = elsewhere.pathname.replace('ten_a', 'ten_b');
    // Act
    const [stripped, otherKey] = await Promise.all([fetch(bare), fetch(elsewhere)]);
    // Assess
    expect(stripped.status).toBe(403);
    expect(await stripped.text()).toContain('AccessDenied');
    expect(otherKey.status).toBe(403);
    expect(await otherKey.text()).toContain('SignatureDoesNotMatch');
  });

  it('serves the SDK’s signed calls and a presigned PUT, and refuses another secret or key', async () => {
    // Prepare
    const base = { region: 'us-east-1', endpoint: endpoint(), forcePathStyle: true } as const;
    const own = new S3Client({
      ...base,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
    const wrongSecret = new S3Client({ ...base, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'guess' } });
    const wrongKey = new S3Client({ ...base, credentials: { accessKeyId: 'AKIAOTHER', secretAccessKey: 'S3RVER' } });
    const putUrl = await getSignedUrl(
      own,
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'tenants/ten_a/upload.bin',
        ContentType: 'application/octet-stream',
      }),
      { expiresIn: 60 },
    );
    // Act
    const put = await fetch(putUrl, {
      method: 'PUT',
      body: 'presigned bytes',
      headers: { 'content-type': 'application/octet-stream' },
    });
    const got = await own.send(new GetObjectCommand({ Bucket: bucket, Key: 'tenants/ten_a/upload.bin' }));
    const listed = await own.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'tenants/ten_a/' }));
    const refusals = await Promise.all(
      [wrongSecret, wrongKey].map((client) =>
        client.send(new ListObjectsV2Command({ Bucket: bucket })).then(
          () => 'listed',
          (e: Error & { $metadata?: { httpStatusCode?: number } }) => `${e.$metadata?.httpStatusCode} ${e.name}`,
        ),
      ),
    );
    // Assess
    expect(put.status).toBe(200);
    expect(await got.Body?.transformToString()).toBe('presigned bytes');
    expect(listed.Contents?.map((o) => o.Key)).toContain('tenants/ten_a/upload.bin');
    expect(refusals).toEqual(['403 SignatureDoesNotMatch', '403 InvalidAccessKeyId']);
  });

  it('answers a part never PUT or a wrong ETag at complete with InvalidPart (400), as S3 does, and keeps serving', async () => {
    // Prepare: one part of a two-part upload is stored.
    const sdk = s3Client(true);
    const key = 'tenants/ten_a/orders/o2/files/f1/model';
    const { UploadId } = await sdk.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
    const { ETag } = await sdk.send(
      new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: 1, Body: new Uint8Array(100) }),
    );
    const complete = (parts: { PartNumber: number; ETag: string }[]) =>
      sdk
        .send(
          new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId, MultipartUpload: { Parts: parts } }),
        )
        .then(
          () => 'completed',
          (e: Error & { $metadata?: { httpStatusCode?: number } }) => `${e.$metadata?.httpStatusCode} ${e.name}`,
        );
    // Act
    const neverPut = await complete([{ PartNumber: 2, ETag: '"0123456789abcdef0123456789abcdef"' }]);
    const wrongEtag = await complete([{ PartNumber: 1, ETag: '"ffffffffffffffffffffffffffffffff"' }]);
    const right = await complete([{ PartNumber: 1, ETag: ETag ?? '' }]);
    // Assess
    expect(neverPut).toBe('400 InvalidPart');
    expect(wrongEtag).toBe('400 InvalidPart');
    expect(right).toBe('completed');
    const stored = await sdk.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    expect((await stored.Body?.transformToByteArray())?.length).toBe(100);
  });

  it('pins a part URL to its signed length, and refuses unknown parts and wrong ETags at complete', async () => {
    // Prepare: a two-part plan; part 1 is uploaded as planned.
    const key = 'tenants/ten_a/orders/o1/files/f1/model';
    const uploadId = await blobs.startMultipartUpload(key, 'model/stl');
    const partSize = 5 * 1024 * 1024;
    const [part1, part2] = await blobs.presignUploadParts(
      key,
      uploadId,
      [
        { partNumber: 1, size: partSize },
        { partNumber: 2, size: 10 },
      ],
      300,
    );
    const put1 = await fetch(part1?.url ?? '', { method: 'PUT', body: new Uint8Array(partSize) });
    const etag1 = put1.headers.get('etag') ?? '';
    // Act
    const tooLong = await fetch(part2?.url ?? '', { method: 'PUT', body: new Uint8Array(300) });
    const neverPut = await blobs
      .completeMultipartUpload(key, uploadId, [
        { partNumber: 1, etag: etag1 },
        { partNumber: 2, etag: '"0123456789abcdef0123456789abcdef"' },
      ])
      .then(
        () => 'completed',
        (e: Error & { kind?: string }) => e.kind ?? e.name,
      );
    const wrongEtag = await blobs
      .completeMultipartUpload(key, uploadId, [{ partNumber: 1, etag: '"ffffffffffffffffffffffffffffffff"' }])
      .then(
        () => 'completed',
        (e: Error & { kind?: string }) => e.kind ?? e.name,
      );
    // Assess: refused as S3 refuses, and the emulator still serves.
    expect(put1.status).toBe(200);
    expect(tooLong.status).toBeGreaterThanOrEqual(400);
    expect(tooLong.status).toBeLessThan(500);
    // The adapter turns S3's InvalidPart into the domain's upload_incomplete (the use case checks the parts first).
    expect(neverPut).toBe('upload_incomplete');
    expect(wrongEtag).toBe('upload_incomplete');
    const parts = await blobs.listUploadedParts(key, uploadId);
    expect(parts.map((p) => [p.partNumber, p.size])).toEqual([[1, partSize]]);
    expect(await blobs.completeMultipartUpload(key, uploadId, [{ partNumber: 1, etag: etag1 }])).toBeUndefined();
  });
});
