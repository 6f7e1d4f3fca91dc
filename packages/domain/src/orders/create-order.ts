import type { CreateOrderRequest } from '@facet/contracts';
import { isAlloyId } from '../alloys.ts';
import { invalid } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Order } from '../order.ts';
import { eventFor } from '../order.ts';
import type { PresignedPart } from '../ports.ts';
import { type Caller, type OrderDeps, orderPrefix } from './deps.ts';
import { plannedParts, planParts } from './upload-plan.ts';

export interface CreatedOrder {
  readonly order: Order;
  readonly upload: { readonly parts: PresignedPart[]; readonly partSize: number; readonly expiresAt: string };
}

/** Creates an order awaiting its model, with a presigned multipart upload for the declared size. */
export async function createOrder(
  deps: OrderDeps,
  caller: Caller,
  request: CreateOrderRequest,
  correlationId: string,
): Promise<CreatedOrder> {
  const { tenantId } = caller;
  const now = deps.clock();
  validate(request, now);
  const id = newId('ord', now.getTime());
  const fileId = newId('file', now.getTime());
  const key = `${orderPrefix(tenantId, id)}/files/${fileId}/model`;
  const { partSize } = planParts(request.file.size);
  const uploadId = await deps.blobs.startMultipartUpload(key, 'application/octet-stream');
  const at = now.toISOString();
  const order: Order = {
    tenantId,
    id,
    ...(request.reference ? { reference: request.reference } : {}),
    status: 'awaiting_upload',
    version: 1,
    ...(caller.sandbox ? { sandbox: true } : {}),
    dueDate: request.dueDate,
    items: request.items.map((item) => ({ ...item, finish: item.finish ?? 'high_polish' })),
    file: { id: fileId, name: request.file.name, size: request.file.size, key, uploadId, partSize },
    history: [{ status: 'awaiting_upload', at }],
    correlationId,
    createdAt: at,
    updatedAt: at,
  };
  await deps.orders.create(order, eventFor(order, at, undefined, caller.actor));
  const parts = await deps.blobs.presignUploadParts(
    key,
    uploadId,
    plannedParts(request.file.size),
    deps.presignTtlSeconds,
  );
  const expiresAt = new Date(now.getTime() + deps.presignTtlSeconds * 1000).toISOString();
  return { order, upload: { parts, partSize, expiresAt } };
}

function validate(request: CreateOrderRequest, now: Date): void {
  const fields = request.items.flatMap((item, i) =>
    isAlloyId(item.alloy) ? [] : [{ path: `items.${i}.alloy`, message: `unknown alloy "${item.alloy}"` }],
  );
  request.items.forEach((item, i) => {
    // US ring sizes run 0–16 in quarter steps; EU sizes are inner circumferences of 38–76 mm.
    const size = item.ringSize;
    if (size?.system === 'US' && (size.size > 16 || !Number.isInteger(size.size * 4))) {
      fields.push({ path: `items.${i}.ringSize.size`, message: 'a US size is 0–16 in quarter steps' });
    }
    if (size?.system === 'EU' && (size.size < 38 || size.size > 76)) {
      fields.push({ path: `items.${i}.ringSize.size`, message: 'an EU size is an inner circumference of 38–76 mm' });
    }
  });
  const today = now.toISOString().slice(0, 10);
  if (Number.isNaN(Date.parse(request.dueDate))) fields.push({ path: 'dueDate', message: 'is not a calendar date' });
  else if (request.dueDate < today) fields.push({ path: 'dueDate', message: 'must not be in the past' });
  if (fields.length > 0) throw invalid('The order is not valid.', fields);
}
