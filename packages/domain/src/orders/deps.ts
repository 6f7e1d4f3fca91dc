import type { BlobStore, DedupeStore, EventBus, JobQueue, Mailer, OrderStore, TenantStore } from '../ports.ts';

/** Everything the order use cases need, built once per process by adapters' factory. */
export interface OrderDeps {
  readonly orders: OrderStore;
  readonly tenants: TenantStore;
  readonly blobs: BlobStore;
  readonly jobs: JobQueue;
  readonly events: EventBus;
  readonly clock: () => Date;
  readonly presignTtlSeconds: number;
}

export interface NotifierDeps {
  readonly orders: OrderStore;
  readonly tenants: TenantStore;
  readonly blobs: BlobStore;
  readonly mailer: Mailer;
  readonly dedupe: DedupeStore;
}

/** Object keys: everything of an order lives under its tenant's and its own prefix. */
export const orderPrefix = (tenantId: string, orderId: string) => `tenants/${tenantId}/orders/${orderId}`;
