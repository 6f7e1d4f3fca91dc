import type { OrderEvent, WebhookRetryMessage } from '@facet/contracts';
import { conflict, isDomainError, notFound } from '../errors.ts';
import type { WebhookResponse, WebhookRetryQueue } from '../ports.ts';
import { queueDelaySeconds, retryDelaySeconds } from './backoff.ts';
import type { WebhookDeliveryDeps, WebhookDeps } from './deps.ts';
import { getWebhook, signingSecrets } from './endpoints.ts';
import {
  deliveryIdFor,
  payloadOf,
  subscribes,
  type WebhookDelivery,
  type WebhookEndpoint,
  type WebhookOwner,
} from './model.ts';
import { signedHeaders } from './signing.ts';
import { assertDeliverableUrl } from './target-url.ts';

/** A receiver gets this long to answer; then the attempt has failed and is retried. */
export const ATTEMPT_TIMEOUT_MS = 10_000;
/** How long a delivery's record is kept (then TTL removes it). */
export const DELIVERY_RETENTION_DAYS = 30;

export type AttemptOutcome = WebhookDelivery['status'] | 'superseded';
export type FanOutOutcome = AttemptOutcome | 'duplicate' | 'rearmed';
export type RetryOutcome = AttemptOutcome | 'stale' | 'waiting' | 'rearmed';

/**
 * An order event → one delivery per endpoint of its company that subscribes to its type, each tried at once.
 * Delivery ids come from the event id and the endpoint, so an event delivered twice by SQS creates nothing new.
 */
export async function fanOut(deps: WebhookDeliveryDeps, event: OrderEvent): Promise<FanOutOutcome[]> {
  const endpoints = (await deps.store.listEndpoints(event.tenantId)).filter((e) => subscribes(e, event));
  return Promise.all(endpoints.map((endpoint) => deliverEvent(deps, endpoint, event)));
}

async function deliverEvent(
  deps: WebhookDeliveryDeps,
  endpoint: WebhookEndpoint,
  event: OrderEvent,
): Promise<FanOutOutcome> {
  const now = deps.clock().toISOString();
  const { delivery } = await deps.store.createDelivery({
    tenantId: endpoint.tenantId,
    id: deliveryIdFor(event, endpoint.id),
    webhookId: endpoint.id,
    eventId: event.id,
    eventType: event.type,
    payload: JSON.stringify(payloadOf(event)),
    status: 'pending',
    attempts: 0,
    cycleAttempts: 0,
    createdAt: now,
    nextAttemptAt: now,
    revision: 0,
  });
  if (delivery.status !== 'pending') return 'duplicate';
  // New, or created by a run that died before its first attempt.
  if (delivery.attempts === 0) return attemptDelivery(deps, endpoint, delivery);
  // The event came again while its delivery is retrying: make sure the next attempt is queued (a surplus message
  // for the same attempt is dropped as stale).
  await scheduleAttempt(deps, delivery);
  return 'rearmed';
}

/** One signed POST; the delivery records it, and a failure schedules the next attempt or ends in `failed`. */
export async function attemptDelivery(
  deps: WebhookDeliveryDeps,
  endpoint: WebhookEndpoint,
  delivery: WebhookDelivery,
): Promise<AttemptOutcome> {
  const now = deps.clock();
  const response = await post(deps, endpoint, delivery, now);
  const ok = 'status' in response && response.status >= 200 && response.status < 300;
  const cycleAttempts = delivery.cycleAttempts + 1;
  const wait = ok ? undefined : retryDelaySeconds(cycleAttempts, deps.backoffSeconds);
  const next: WebhookDelivery = {
    ...settledFields(delivery),
    status: ok ? 'succeeded' : wait === undefined ? 'failed' : 'pending',
    attempts: delivery.attempts + 1,
    cycleAttempts,
    lastAttemptAt: now.toISOString(),
    ...(wait !== undefined ? { nextAttemptAt: new Date(now.getTime() + wait * 1000).toISOString() } : {}),
    ...('status' in response ? { lastResponseStatus: response.status } : {}),
    ...(ok
      ? {}
      : { lastError: 'error' in response ? response.error : `The endpoint answered HTTP ${response.status}.` }),
    revision: delivery.revision + 1,
  };
  // Someone else (a replay, a duplicate message) wrote first: their write stands and schedules what follows.
  if (!(await deps.store.saveDelivery(next, delivery.revision))) return 'superseded';
  if (next.status === 'pending') await scheduleAttempt(deps, next);
  return next.status;
}

/**
 * A retry or replay message. It names the attempt it is for: a message for an attempt already made is dropped,
 * one that arrives before the attempt is due (SQS delays at most 15 minutes) is delayed again.
 */
export async function handleRetry(deps: WebhookDeliveryDeps, message: WebhookRetryMessage): Promise<RetryOutcome> {
  const delivery = await deps.store.getDelivery(message.tenantId, message.webhookId, message.deliveryId);
  if (delivery?.status !== 'pending') return 'stale';
  if (message.attempt === delivery.attempts) {
    // Redelivered after its attempt was saved but before the next one was queued (the queue failed): queue it.
    await scheduleAttempt(deps, delivery);
    return 'rearmed';
  }
  if (message.attempt !== delivery.attempts + 1) return 'stale';
  const waitSeconds = (Date.parse(delivery.nextAttemptAt ?? '') - deps.clock().getTime()) / 1000;
  if (waitSeconds > 1) {
    await deps.queue.send(message, queueDelaySeconds(waitSeconds));
    return 'waiting';
  }
  const endpoint = await deps.store.getEndpoint(delivery.tenantId, delivery.webhookId);
  if (!endpoint) {
    const { nextAttemptAt: _due, ...rest } = delivery;
    const ended: WebhookDelivery = {
      ...rest,
      status: 'failed',
      lastError: 'The webhook endpoint was deleted.',
      revision: delivery.revision + 1,
    };
    return (await deps.store.saveDelivery(ended, delivery.revision)) ? 'failed' : 'superseded';
  }
  return attemptDelivery(deps, endpoint, delivery);
}

/** Sends a delivery again now (whatever its status), with a fresh retry schedule; the `webhook-id` stays. */
export async function replayDelivery(
  deps: WebhookDeps & { readonly queue: WebhookRetryQueue },
  owner: WebhookOwner,
  webhookId: string,
  deliveryId: string,
): Promise<WebhookDelivery> {
  await getWebhook(deps, owner, webhookId);
  const delivery = await deps.store.getDelivery(owner.tenantId, webhookId, deliveryId);
  if (!delivery) throw notFound(`Delivery ${deliveryId}`);
  const replayed: WebhookDelivery = {
    ...delivery,
    status: 'pending',
    cycleAttempts: 0,
    nextAttemptAt: deps.clock().toISOString(),
    revision: delivery.revision + 1,
  };
  if (!(await deps.store.saveDelivery(replayed, delivery.revision)))
    throw conflict('The delivery is being attempted right now; try the replay again in a moment.');
  await scheduleAttempt(deps, replayed, 0);
  return replayed;
}

/** Newest event first; another company's endpoint is not found. */
export async function listDeliveries(
  deps: Pick<WebhookDeps, 'store'>,
  owner: WebhookOwner,
  webhookId: string,
  limit: number,
): Promise<WebhookDelivery[]> {
  await getWebhook(deps, owner, webhookId);
  return deps.store.listDeliveries(owner.tenantId, webhookId, limit);
}

async function post(
  deps: WebhookDeliveryDeps,
  endpoint: WebhookEndpoint,
  delivery: WebhookDelivery,
  now: Date,
): Promise<WebhookResponse> {
  try {
    // Again before every attempt: the host may resolve elsewhere than at registration.
    await assertDeliverableUrl(endpoint.url, { allowPrivate: deps.allowPrivateTargets, resolver: deps.resolver });
  } catch (error) {
    if (isDomainError(error)) return { error: `Not sent: the URL ${error.fields[0]?.message ?? error.message}.` };
    throw error;
  }
  const timestamp = Math.floor(now.getTime() / 1000);
  return deps.sender.post({
    url: endpoint.url,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'Facet-Webhooks/1.0',
      ...signedHeaders(signingSecrets(endpoint, now), delivery.id, timestamp, delivery.payload),
    },
    body: delivery.payload,
    timeoutMs: ATTEMPT_TIMEOUT_MS,
  });
}

/** Queues the delivery's next attempt, delayed until it is due (at most SQS's 15 minutes; see handleRetry). */
async function scheduleAttempt(
  deps: { readonly queue: WebhookRetryQueue; readonly clock: () => Date },
  delivery: WebhookDelivery,
  delaySeconds = queueDelaySeconds((Date.parse(delivery.nextAttemptAt ?? '') - deps.clock().getTime()) / 1000 || 0),
): Promise<void> {
  await deps.queue.send(
    {
      kind: 'webhook.retry',
      tenantId: delivery.tenantId,
      webhookId: delivery.webhookId,
      deliveryId: delivery.id,
      attempt: delivery.attempts + 1,
    },
    delaySeconds,
  );
}

/** The delivery without the fields each attempt sets anew. */
function settledFields(d: WebhookDelivery): WebhookDelivery {
  const { lastAttemptAt: _a, nextAttemptAt: _n, lastResponseStatus: _s, lastError: _e, ...rest } = d;
  return rest;
}
