import type { CalculatorEnv, ClientsApiEnv, EmailNotifierEnv, EventPublisherEnv } from '@facet/contracts';
import type { NotifierDeps, OrderDeps } from '@facet/domain/orders/deps';
import { demoPriceBook } from '@facet/domain/pricing';
import { dynamoClient, s3Client, sesClient, snsClient } from './aws-clients.ts';
import { DynamoIdempotencyStore } from './dynamo-idempotency-store.ts';
import { DynamoOrderStore } from './dynamo-order-store.ts';
import { DynamoSigningKeys } from './dynamo-signing-keys.ts';
import { DynamoDedupeStore, DynamoTenantStore } from './dynamo-tenant-store.ts';
import { OutboxMailer, SesMailer } from './mailers.ts';
import { SnsEventBus } from './messaging.ts';
import { S3BlobStore } from './s3-blob-store.ts';

/** The one place ports meet their AWS implementations; handlers and the worker take what they need from here. */

export function orderDeps(env: ClientsApiEnv | CalculatorEnv, presignTtlSeconds = 900): OrderDeps {
  return {
    orders: new DynamoOrderStore(dynamoClient(), env.TABLE_NAME),
    tenants: new DynamoTenantStore(dynamoClient(), env.TABLE_NAME),
    blobs: new S3BlobStore(s3Client(env.S3_FORCE_PATH_STYLE), env.BUCKET_NAME),
    clock: () => new Date(),
    presignTtlSeconds,
    // The same book the calculator prices with (demo prices until a real price source exists).
    priceBook: demoPriceBook,
    keys: new DynamoSigningKeys(dynamoClient(), env.TABLE_NAME),
  };
}

/** The outbox publisher: stored events → the order-events topic. */
export function eventBus(env: EventPublisherEnv) {
  return new SnsEventBus(snsClient(), env.EVENTS_TOPIC_ARN);
}

export function notifierDeps(env: EmailNotifierEnv): NotifierDeps {
  const mailer =
    env.MAIL_TRANSPORT === 'ses'
      ? new SesMailer(sesClient(), env.MAIL_FROM)
      : new OutboxMailer(env.OUTBOX_DIR ?? '.local/outbox', env.MAIL_FROM);
  return {
    orders: new DynamoOrderStore(dynamoClient(), env.TABLE_NAME),
    tenants: new DynamoTenantStore(dynamoClient(), env.TABLE_NAME),
    blobs: new S3BlobStore(s3Client(env.S3_FORCE_PATH_STYLE), env.BUCKET_NAME),
    mailer,
    dedupe: new DynamoDedupeStore(dynamoClient(), env.TABLE_NAME),
  };
}

export function tenantStore(tableName: string) {
  return new DynamoTenantStore(dynamoClient(), tableName);
}

export function idempotencyStore(tableName: string) {
  return new DynamoIdempotencyStore(dynamoClient(), tableName);
}
