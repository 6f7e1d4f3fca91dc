import { describe, expect, it } from 'vitest';
import type { UsagePlanRegistry } from './ports.ts';
import { createTenant, hashApiKey, issueApiKey, revokeApiKey } from './tenants.ts';
import { MemoryTenantStore } from './testing/fakes.ts';

describe('company keys', () => {
  it('stores only the hash, registers the key on the usage plan and revokes it at once', async () => {
    const store = new MemoryTenantStore();
    const registered: string[] = [];
    const disabled: string[] = [];
    const registry: UsagePlanRegistry = {
      register: async (key) => {
        registered.push(key);
        return 'gw-1';
      },
      disable: async (id) => {
        disabled.push(id);
      },
    };
    const tenant = await createTenant(store, { name: 'Aurum', notificationEmail: 'a@aurum.example' });
    const { keyId, apiKey } = await issueApiKey(store, tenant.id, 'sandbox', registry);
    expect(apiKey).toMatch(/^fct_sandbox_/);
    expect([...store.keys.keys()]).toEqual([hashApiKey(apiKey)]);
    expect(JSON.stringify([...store.keys.values()])).not.toContain(apiKey);
    expect(registered).toEqual([apiKey]);
    await revokeApiKey(store, tenant.id, keyId, registry);
    expect((await store.findApiKey(hashApiKey(apiKey)))?.status).toBe('revoked');
    expect(disabled).toEqual(['gw-1']);
  });

  it('refuses keys for an unknown company and revoking a key of another company', async () => {
    const store = new MemoryTenantStore();
    await expect(issueApiKey(store, 'ten_missing')).rejects.toMatchObject({ kind: 'not_found' });
    const a = await createTenant(store, { name: 'A', notificationEmail: 'a@a.example' });
    const b = await createTenant(store, { name: 'B', notificationEmail: 'b@b.example' });
    const { keyId } = await issueApiKey(store, a.id);
    await expect(revokeApiKey(store, b.id, keyId)).rejects.toMatchObject({ kind: 'not_found' });
  });
});
