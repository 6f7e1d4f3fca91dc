import type { CompleteUploadRequest } from '@facet/contracts';
import { DomainError, invalid, notFound } from '../errors.ts';
import { type Order, publishTransition, transition } from '../order.ts';
import type { Caller, OrderDeps } from './deps.ts';
import { ownOrder } from './own-order.ts';
import { planParts } from './upload-plan.ts';

/** Completes the multipart upload, queues the calculation and moves the order to `queued`. */
export async function completeUpload(
  deps: OrderDeps,
  caller: Caller,
  orderId: string,
  fileId: string,
  request: CompleteUploadRequest,
): Promise<Order> {
  const { tenantId } = caller;
  const order = await ownOrder(deps, caller, orderId);
  if (order.file.id !== fileId) throw notFound('The order or file');
  if (order.status !== 'awaiting_upload') {
    throw new DomainError(
      'conflict',
      `The upload is already complete; the order is ${order.status.replace('_', ' ')}.`,
    );
  }
  const expected = planParts(order.file.size).partCount;
  const numbers = request.parts.map((p) => p.partNumber).sort((a, b) => a - b);
  if (numbers.length !== expected || numbers.some((n, i) => n !== i + 1)) {
    throw invalid(`The upload has ${expected} part(s); send each part number from 1 to ${expected} once.`, [
      { path: 'parts', message: `expected part numbers 1..${expected}` },
    ]);
  }
  const parts = [...request.parts].sort((a, b) => a.partNumber - b.partNumber);
  await deps.blobs.completeMultipartUpload(order.file.key, order.file.uploadId, parts);
  const { order: queued, event } = transition(order, 'queued', {}, deps.clock());
  await deps.orders.save(queued, order.version);
  await deps.jobs.enqueue({ version: 1, tenantId, orderId, correlationId: order.correlationId });
  await publishTransition(deps, queued, event);
  return queued;
}
