/** Key layout of the single table. Every tenant-owned item's partition key starts with the tenant. */
export const tenantPk = (tenantId: string) => `TENANT#${tenantId}`;
export const orderSk = (orderId: string) => `ORDER#${orderId}`;
/** Which company an order belongs to, by its id alone (written with the order). */
export const orderLocatorPk = (orderId: string) => `ORDERID#${orderId}`;
/** An order's events sort under it by version (the outbox; the stream publishes new ones). */
export const orderEventPrefix = (orderId: string) => `EVENT#${orderId}#`;
export const orderEventSk = (orderId: string, version: number) =>
  `${orderEventPrefix(orderId)}${String(version).padStart(10, '0')}`;
export const apiKeyPk = (keyHash: string) => `APIKEY#${keyHash}`;
/** gsi1 partition of a tenant's orders by creation time; sandbox orders have their own, so lists never mix. */
export const ordersIndexPk = (tenantId: string, sandbox: boolean) =>
  `${tenantPk(tenantId)}#${sandbox ? 'SANDBOX-ORDERS' : 'ORDERS'}`;
export const signingKeyPk = 'PLATFORM#SIGNING-KEYS';
export const webhookSk = (webhookId: string) => `WEBHOOK#${webhookId}`;
/** Deliveries sort under their endpoint by id, and delivery ids start with the event time. */
export const webhookDeliveryPrefix = (webhookId: string) => `WHDELIVERY#${webhookId}#`;
export const webhookDeliverySk = (webhookId: string, deliveryId: string) =>
  `${webhookDeliveryPrefix(webhookId)}${deliveryId}`;
