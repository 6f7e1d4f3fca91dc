/** Key layout of the single table. Every tenant-owned item's partition key starts with the tenant. */
export const tenantPk = (tenantId: string) => `TENANT#${tenantId}`;
export const orderSk = (orderId: string) => `ORDER#${orderId}`;
export const apiKeyPk = (keyHash: string) => `APIKEY#${keyHash}`;
