/** Tables and buckets of the wiring declaration. */

export const tables = {
  /**
   * Single table: orders, their events (the outbox), tenants, API keys, idempotency records, read models. Keys
   * carry the tenant. The stream feeds the event publisher (events.ts `streams`).
   */
  main: {
    partitionKey: 'pk',
    sortKey: 'sk',
    ttlAttribute: 'expiresAt',
    indexes: [{ name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' }],
    stream: 'NEW_IMAGE',
  },
} as const;

export const buckets = {
  /** Uploaded models (multipart, presigned), reports and thumbnails, under `tenants/{tenant}/orders/{order}/`. */
  models: { corsExposeHeaders: ['ETag'], abortIncompleteUploadAfterDays: 1 },
} as const;

export type TableName = keyof typeof tables;
export type BucketName = keyof typeof buckets;
