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
    // The adapter turns S3's InvalidPart into the domain's upload_incomplete (a 400 for the client).
    expect(neverPut).toBe('upload_incomplete');
    expect(wrongEtag).toBe('upload_incomplete');
    const parts = await blobs.listUploadedParts(key, uploadId);
    expect(parts.map((p) => [p.partNumber, p.size])).toEqual([[1, partSize]]);
    expect(await blobs.completeMultipartUpload(key, uploadId, [{ partNumber: 1, etag: etag1 }])).toBeUndefined();
  });
});
