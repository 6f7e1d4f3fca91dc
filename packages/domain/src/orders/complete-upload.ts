import type { CompleteUploadRequest } from '@facet/contracts';
import { DomainError, type FieldIssue, invalid, notFound } from '../errors.ts';
import { type Order, transition } from '../order.ts';
import type { Caller, OrderDeps } from './deps.ts';
import { ownOrder } from './own-order.ts';
import { plannedParts } from './upload-plan.ts';

/**
 * Completes the multipart upload and moves the order to `queued` (its `order.queued` event is the calculation
 * job). What storage holds is checked against the plan first, so the declared size is the size calculated.
 */
export async function completeUpload(
  deps: OrderDeps,
  caller: Caller,
  orderId: string,
  fileId: string,
  request: CompleteUploadRequest,
): Promise<Order> {
  const order = await ownOrder(deps, caller, orderId);
  if (order.file.id !== fileId) throw notFound('The order or file');
  if (order.status !== 'awaiting_upload') {
    throw new DomainError(
      'conflict',
      `The upload is already complete; the order is ${order.status.replace('_', ' ')}.`,
    );
  }
  const plan = plannedParts(order.file.size);
  const numbers = request.parts.map((p) => p.partNumber).sort((a, b) => a - b);
  if (numbers.length !== plan.length || numbers.some((n, i) => n !== i + 1)) {
    throw invalid(`The upload has ${plan.length} part(s); send each part number from 1 to ${plan.length} once.`, [
      { path: 'parts', message: `expected part numbers 1..${plan.length}` },
    ]);
  }
  const parts = [...request.parts].sort((a, b) => a.partNumber - b.partNumber);
  const stored = await deps.blobs.listUploadedParts(order.file.key, order.file.uploadId);
  const issues = partIssues(plan, parts, stored, request.parts);
  if (issues.length > 0) {
    throw invalid(
      `The stored parts do not match the upload plan (${plan.length} part(s), ${order.file.size} bytes in all): ${issues[0]?.message}. Upload the part again to its URL (GET the upload for fresh URLs), then complete.`,
      issues,
    );
  }
  await deps.blobs.completeMultipartUpload(order.file.key, order.file.uploadId, parts);
  const { order: queued, event } = transition(order, 'queued', {}, deps.clock(), undefined, caller.actor);
  await deps.orders.save(queued, order.version, event);
  return queued;
}

const unquote = (etag: string) => etag.replace(/^"|"$/g, '');

/** Every way the stored parts differ from the plan and from the ETags sent, as field issues on `parts[i]`. */
function partIssues(
  plan: readonly { partNumber: number; size: number }[],
  sent: readonly { partNumber: number; etag: string }[],
  stored: readonly { partNumber: number; etag: string; size: number }[],
  asSent: readonly { partNumber: number }[],
): FieldIssue[] {
  const byNumber = new Map(stored.map((p) => [p.partNumber, p]));
  const indexOf = (n: number) => asSent.findIndex((p) => p.partNumber === n);
  const issues: FieldIssue[] = [];
  for (const planned of plan) {
    const path = `parts.${indexOf(planned.partNumber)}`;
    const have = byNumber.get(planned.partNumber);
    const etag = sent.find((p) => p.partNumber === planned.partNumber)?.etag ?? '';
    if (!have) issues.push({ path, message: `part ${planned.partNumber} has not been uploaded` });
    else if (have.size !== planned.size)
      issues.push({
        path,
        message: `part ${planned.partNumber} is ${have.size} bytes; the plan says ${planned.size}`,
      });
    else if (unquote(have.etag) !== unquote(etag))
      issues.push({ path: `${path}.etag`, message: `part ${planned.partNumber}'s ETag is not the one storage holds` });
  }
  for (const extra of stored.filter((p) => p.partNumber > plan.length)) {
    issues.push({ path: 'parts', message: `part ${extra.partNumber} was uploaded, but the plan has ${plan.length}` });
  }
  return issues;
}
