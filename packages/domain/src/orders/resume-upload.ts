import type { uploadStatus } from '@facet/contracts';
import type { z } from 'zod';
import { conflict, notFound } from '../errors.ts';
import type { Caller, OrderDeps } from './deps.ts';
import { ownOrder } from './own-order.ts';
import { plannedParts, planParts } from './upload-plan.ts';

/**
 * Where an interrupted upload stands: which parts storage already has (with their ETags) and fresh part URLs,
 * since the first ones may have expired. The client uploads only what is missing, then completes as usual.
 */
export async function resumeUpload(
  deps: Pick<OrderDeps, 'orders' | 'blobs' | 'clock' | 'presignTtlSeconds'>,
  caller: Caller,
  orderId: string,
  fileId: string,
): Promise<z.infer<typeof uploadStatus>> {
  const order = await ownOrder(deps, caller, orderId);
  if (order.file.id !== fileId) throw notFound('The order or file');
  if (order.status !== 'awaiting_upload') {
    throw conflict(`The upload is already complete; the order is ${order.status.replace('_', ' ')}.`);
  }
  const { key, uploadId, size } = order.file;
  const { partSize } = planParts(size);
  const [stored, urls] = await Promise.all([
    deps.blobs.listUploadedParts(key, uploadId),
    deps.blobs.presignUploadParts(key, uploadId, plannedParts(size), deps.presignTtlSeconds),
  ]);
  const etags = new Map(stored.map((p) => [p.partNumber, p.etag]));
  return {
    fileId,
    partSize,
    expiresAt: new Date(deps.clock().getTime() + deps.presignTtlSeconds * 1000).toISOString(),
    parts: urls.map((u) => {
      const etag = etags.get(u.partNumber);
      return { partNumber: u.partNumber, url: u.url, uploaded: etag !== undefined, ...(etag ? { etag } : {}) };
    }),
    completeUrl: `/v1/orders/${order.id}/files/${fileId}/complete`,
  };
}
