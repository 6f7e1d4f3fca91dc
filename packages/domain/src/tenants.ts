import { createHash, randomBytes } from 'node:crypto';
import { notFound } from './errors.ts';
import { newId } from './ids.ts';
import type { Tenant, TenantStore, UsagePlanRegistry } from './ports.ts';

/** API keys are shown once and stored only as their SHA-256 hash. */
export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');

export async function createTenant(
  store: TenantStore,
  input: { name: string; notificationEmail: string; id?: string },
): Promise<Tenant> {
  const tenant: Tenant = { id: input.id ?? newId('ten'), name: input.name, notificationEmail: input.notificationEmail };
  await store.putTenant(tenant);
  return tenant;
}

const noRegistry: UsagePlanRegistry = { register: async () => undefined, disable: async () => undefined };

/** Issues a new key for a company; `sandbox` keys run calculations but nothing is produced or billed. */
export async function issueApiKey(
  store: TenantStore,
  tenantId: string,
  kind: 'live' | 'sandbox' = 'live',
  registry: UsagePlanRegistry = noRegistry,
): Promise<{ keyId: string; apiKey: string }> {
  if (!(await store.getTenant(tenantId))) throw notFound(`Tenant ${tenantId}`);
  const keyId = newId('key');
  const apiKey = `fct_${kind}_${randomBytes(24).toString('base64url')}`;
  const gatewayKeyId = await registry.register(apiKey, `${tenantId}/${keyId}`);
  await store.putApiKey(hashApiKey(apiKey), {
    keyId,
    tenantId,
    status: 'active',
    kind,
    createdAt: new Date().toISOString(),
    ...(gatewayKeyId ? { gatewayKeyId } : {}),
  });
  return { keyId, apiKey };
}

/** Revokes a key at once: the authorizer reads its status on every request (no cached allow). */
export async function revokeApiKey(
  store: TenantStore,
  tenantId: string,
  keyId: string,
  registry: UsagePlanRegistry = noRegistry,
): Promise<void> {
  const key = (await store.listApiKeys(tenantId)).find((k) => k.keyId === keyId);
  if (!key) throw notFound(`Key ${keyId} of tenant ${tenantId}`);
  const { keyHash, ...record } = key;
  await store.putApiKey(keyHash, { ...record, status: 'revoked' });
  if (record.gatewayKeyId) await registry.disable(record.gatewayKeyId);
}

/** Re-registers a known key (the local demo key kept in .local/ across restarts). */
export async function registerApiKey(
  store: TenantStore,
  tenantId: string,
  keyId: string,
  apiKey: string,
  kind: 'live' | 'sandbox' = 'live',
): Promise<void> {
  await store.putApiKey(hashApiKey(apiKey), { keyId, tenantId, status: 'active', kind });
}
