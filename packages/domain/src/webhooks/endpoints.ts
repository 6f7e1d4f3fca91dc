import { MAX_WEBHOOK_ENDPOINTS, type RegisterWebhookRequest } from '@facet/contracts';
import { conflict, notFound } from '../errors.ts';
import { newId } from '../ids.ts';
import type { WebhookDeps } from './deps.ts';
import { ownedBy, type WebhookEndpoint, type WebhookOwner } from './model.ts';
import { generateSecret } from './signing.ts';
import { assertDeliverableUrl } from './target-url.ts';

/** How long the previous secret keeps signing after a rotation, so receivers can switch without losing events. */
export const ROTATION_OVERLAP_MS = 24 * 3600 * 1000;

export async function registerWebhook(
  deps: WebhookDeps,
  owner: WebhookOwner,
  input: RegisterWebhookRequest,
): Promise<WebhookEndpoint> {
  const url = await assertDeliverableUrl(input.url, {
    allowPrivate: deps.allowPrivateTargets,
    resolver: deps.resolver,
  });
  if ((await deps.store.listEndpoints(owner.tenantId)).length >= MAX_WEBHOOK_ENDPOINTS)
    throw conflict(`A company may register at most ${MAX_WEBHOOK_ENDPOINTS} webhook endpoints; delete one first.`);
  const now = deps.clock().toISOString();
  const endpoint: WebhookEndpoint = {
    tenantId: owner.tenantId,
    id: newId('whk', deps.clock().getTime()),
    url: url.href,
    events: [...input.events],
    ...(input.description ? { description: input.description } : {}),
    status: 'enabled',
    ...(owner.sandbox ? { sandbox: true } : {}),
    secret: generateSecret(),
    createdAt: now,
    updatedAt: now,
  };
  await deps.store.createEndpoint(endpoint);
  return endpoint;
}

export async function listWebhooks(deps: WebhookDeps, owner: WebhookOwner): Promise<WebhookEndpoint[]> {
  return (await deps.store.listEndpoints(owner.tenantId)).filter((e) => ownedBy(e, owner));
}

/** Another company's id (or the other key space's) is not found, exactly like an id that never existed. */
export async function getWebhook(deps: Pick<WebhookDeps, 'store'>, owner: WebhookOwner, webhookId: string) {
  const endpoint = await deps.store.getEndpoint(owner.tenantId, webhookId);
  if (!endpoint || !ownedBy(endpoint, owner)) throw notFound(`Webhook ${webhookId}`);
  return endpoint;
}

/** Deliveries already queued for it stop at their next attempt; its delivery history expires on its own. */
export async function deleteWebhook(deps: WebhookDeps, owner: WebhookOwner, webhookId: string): Promise<void> {
  await getWebhook(deps, owner, webhookId);
  if (!(await deps.store.deleteEndpoint(owner.tenantId, webhookId))) throw notFound(`Webhook ${webhookId}`);
}

/** A new secret signs from now on; the current one keeps signing alongside it for 24 hours. */
export async function rotateWebhookSecret(
  deps: WebhookDeps,
  owner: WebhookOwner,
  webhookId: string,
): Promise<WebhookEndpoint> {
  const current = await getWebhook(deps, owner, webhookId);
  const now = deps.clock();
  const rotated: WebhookEndpoint = {
    ...current,
    secret: generateSecret(),
    previousSecret: current.secret,
    previousSecretExpiresAt: new Date(now.getTime() + ROTATION_OVERLAP_MS).toISOString(),
    updatedAt: now.toISOString(),
  };
  if (!(await deps.store.updateEndpoint(rotated))) throw notFound(`Webhook ${webhookId}`);
  return rotated;
}

/** The secrets that sign a delivery now: the current one, and the previous one during its overlap. */
export function signingSecrets(endpoint: WebhookEndpoint, now: Date): string[] {
  const previousValid =
    endpoint.previousSecret &&
    endpoint.previousSecretExpiresAt &&
    Date.parse(endpoint.previousSecretExpiresAt) > now.getTime();
  return previousValid && endpoint.previousSecret ? [endpoint.secret, endpoint.previousSecret] : [endpoint.secret];
}
