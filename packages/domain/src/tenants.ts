import { createHash, randomBytes } from 'node:crypto';
import { newId } from './ids.ts';
import type { Tenant, TenantStore } from './ports.ts';

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

/** Issues a new key for a company; `sandbox` keys run calculations but nothing is produced or billed. */
export async function issueApiKey(
  store: TenantStore,
  tenantId: string,
  kind: 'live' | 'sandbox' = 'live',
): Promise<{ keyId: string; apiKey: string }> {
  const keyId = newId('key');
  const apiKey = `fct_${kind}_${randomBytes(24).toString('base64url')}`;
  await store.putApiKey(hashApiKey(apiKey), { keyId, tenantId, status: 'active' });
  return { keyId, apiKey };
}

/** Re-registers a known key (the local demo key kept in .local/ across restarts). */
export async function registerApiKey(
  store: TenantStore,
  tenantId: string,
  keyId: string,
  apiKey: string,
): Promise<void> {
  await store.putApiKey(hashApiKey(apiKey), { keyId, tenantId, status: 'active' });
}
