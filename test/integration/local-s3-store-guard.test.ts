import { createHash } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import S3rver from 's3rver';
import { describe, expect, it } from 'vitest';
import { guardS3rverStore, type MultipartStore } from '../../local/cloud/s3-store-guard.ts';

/** The parts of s3rver's filesystem store this test drives directly (behind the front and the complete checks). */
interface Store extends MultipartStore {
  putBucket(bucket: string): Promise<void>;
  initiateUpload(bucket: string, key: string, uploadId: string, metadata: Record<string, string>): Promise<void>;
  putPart(bucket: string, uploadId: string, partNumber: number, content: Readable): Promise<{ md5: string }>;
}

/**
 * s3rver's own multipart assembly, guarded (issue 9, defect 1): a part missing when it assembles is S3's InvalidPart
 * for that request, never an unhandled ENOENT that takes the local cloud's process down.
 */
describe("s3rver's multipart assembly, guarded", () => {
  async function upload(parts: Buffer[]) {
    const store = new S3rver({ directory: await mkdtemp(join(tmpdir(), 'facet-s3-guard-')), silent: true })
      .store as Store;
    guardS3rverStore(store);
    await store.putBucket('b');
    await store.initiateUpload('b', 'tenants/t/model', 'up1', { 'content-type': 'model/stl' });
    for (const [i, bytes] of parts.entries()) await store.putPart('b', 'up1', i + 1, Readable.from([bytes]));
    return store;
  }

  it('refuses a part that is not there with InvalidPart, as a rejection of that request', async () => {
    // Prepare
    const store = await upload([Buffer.from('part one')]);
    // Act
    const outcome = await store.putObjectMultipart('b', 'up1', [{ number: 1 }, { number: 2 }]).then(
      () => 'completed',
      (e: Error & { code?: string; status?: number }) => `${e.status} ${e.code}`,
    );
    // Assess
    expect(outcome).toBe('400 InvalidPart');
  });

  it('refuses an upload that does not exist with NoSuchUpload', async () => {
    const store = await upload([]);
    const outcome = await store.putObjectMultipart('b', 'nope', [{ number: 1 }]).then(
      () => 'completed',
      (e: Error & { code?: string; status?: number }) => `${e.status} ${e.code}`,
    );
    expect(outcome).toBe('404 NoSuchUpload');
  });

  it('assembles the parts in part order into the object, with its MD5, and removes the upload', async () => {
    // Prepare
    const parts = [Buffer.alloc(70_000, 1), Buffer.alloc(30_000, 2), Buffer.from('tail')];
    const store = await upload(parts);
    // Act
    const result = await store.putObjectMultipart('b', 'up1', [{ number: 3 }, { number: 1 }, { number: 2 }]);
    // Assess
    const whole = Buffer.concat(parts);
    expect(result).toEqual({ size: whole.length, md5: createHash('md5').update(whole).digest('hex') });
    expect(await readFile(store.getResourcePath('b', 'tenants/t/model', 'object'))).toEqual(whole);
    const again = await store.putObjectMultipart('b', 'up1', [{ number: 1 }]).catch((e: { code?: string }) => e.code);
    expect(again).toBe('NoSuchUpload');
  });
});
