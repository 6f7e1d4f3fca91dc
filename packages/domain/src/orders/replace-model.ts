import { conflict } from '../errors.ts';
import { newId } from '../ids.ts';
import { transition } from '../order.ts';
import { canTransition, MODEL_REPLACED_EVENT } from '../order-states.ts';
import type { CreatedOrder } from './create-order.ts';
import { type Caller, type OrderDeps, orderPrefix } from './deps.ts';
import { ownOrder } from './own-order.ts';
import { plannedParts, planParts } from './upload-plan.ts';

/**
 * Starts the upload of a new model for an order whose calculation is done (a fix for a rejected model, or a
 * change before confirming): the order goes back to `awaiting_upload` with a new file, its old results dropped.
 * The old model's objects stay where they are (the order's prefix), so the history can still point at them.
 */
export async function replaceModel(
  deps: OrderDeps,
  caller: Caller,
  orderId: string,
  file: { readonly name: string; readonly size: number },
): Promise<CreatedOrder> {
  const order = await ownOrder(deps, caller, orderId);
  if (order.status === 'awaiting_upload' || !canTransition(order.status, 'awaiting_upload')) {
    throw conflict(
      `The order is ${order.status.replace('_', ' ')}; a model can be replaced once its calculation is done and before it is confirmed.`,
    );
  }
  const now = deps.clock();
  const fileId = newId('file', now.getTime());
  const key = `${orderPrefix(order.tenantId, order.id)}/files/${fileId}/model`;
  const { partSize } = planParts(file.size);
  const uploadId = await deps.blobs.startMultipartUpload(key, 'application/octet-stream');
  const { order: next, event } = transition(
    order,
    'awaiting_upload',
    {
      file: { id: fileId, name: file.name, size: file.size, key, uploadId, partSize },
      result: undefined,
      failureReason: undefined,
    },
    now,
    MODEL_REPLACED_EVENT,
    caller.actor,
  );
  await deps.orders.save(next, order.version, event);
  const parts = await deps.blobs.presignUploadParts(key, uploadId, plannedParts(file.size), deps.presignTtlSeconds);
  const expiresAt = new Date(now.getTime() + deps.presignTtlSeconds * 1000).toISOString();
  return { order: next, upload: { parts, partSize, expiresAt } };
}
