import type { EventActor } from '@facet/contracts';
import type { BlobStore, DedupeStore, Mailer, OrderStore, SigningKeys, TenantStore } from '../ports.ts';
import type { PriceBook } from '../pricing.ts';

/** Everything the order use cases need, built once per process by adapters' factory. */
export interface OrderDeps {
  readonly orders: OrderStore;
  readonly tenants: TenantStore;
  readonly blobs: BlobStore;
  readonly clock: () => Date;
  readonly presignTtlSeconds: number;
  /** The prices in force at a moment: an expired quote is priced again from it on confirm. */
  readonly priceBook: (now: Date) => PriceBook;
  readonly keys: SigningKeys;
}

/** Who is calling: the company from the authorizer, and whether its key is a sandbox key. */
export interface Caller {
  readonly tenantId: string;
  readonly sandbox: boolean;
  /** For the audit log: the key and where the request came from. */
  readonly actor?: EventActor;
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
