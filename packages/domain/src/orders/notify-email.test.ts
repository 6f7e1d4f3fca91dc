import type { OrderEvent } from '@facet/contracts';
import { describe, expect, it } from 'vitest';
import { eventFor, type Order } from '../order.ts';
import type { Mail } from '../ports.ts';
import { MemoryBlobStore, MemoryDedupe, MemoryOrderStore, MemoryTenantStore } from '../testing/fakes.ts';
import type { NotifierDeps } from './deps.ts';
import { EmailInProgress, notifyByEmail } from './notify-email.ts';

const order: Order = {
  tenantId: 'ten_a',
  id: 'ord_1',
  status: 'quoted',
  version: 4,
  dueDate: '2030-01-01',
  items: [{ alloy: 'ag925', quantity: 1 }],
  file: { id: 'f', name: 'ring.stl', size: 10, key: 'k', uploadId: 'u', partSize: 10 },
  result: {
    reportKey: 'r',
    quote: { currency: 'EUR', total: 42, validUntil: '2030-01-01T00:00:00Z', lines: [] },
  },
  history: [],
  correlationId: 'c',
  createdAt: '2026-12-01T00:00:00Z',
  updatedAt: '2026-12-01T00:00:00Z',
};

function setup() {
  const orders = new MemoryOrderStore();
  orders.seed(order);
  const tenants = new MemoryTenantStore();
  void tenants.putTenant({ id: 'ten_a', name: 'Aurum', notificationEmail: 'orders@aurum.example' });
  const sent: Mail[] = [];
  let failures = 0;
  const mailer = {
    failNext: (n: number) => {
      failures = n;
    },
    async send(mail: Mail) {
      if (failures > 0) {
        failures--;
        throw new Error('MessageRejected: Email address is not verified');
      }
      sent.push(mail);
    },
  };
  const deps: NotifierDeps = { orders, tenants, blobs: new MemoryBlobStore(), mailer, dedupe: new MemoryDedupe() };
  return { deps, sent, mailer };
}

const calculated: OrderEvent = eventFor(order, order.updatedAt);

describe('notifyByEmail', () => {
  it('loses nothing when the mailer refuses first: the delivery fails, the redelivery sends exactly one email', async () => {
    // Prepare: SES refuses the first two attempts (sandbox recipient), then accepts
    const { deps, sent, mailer } = setup();
    mailer.failNext(2);
    // Act: the queue delivers the event until it goes through, then twice more (at-least-once)
    const attempts: string[] = [];
    for (let i = 0; i < 5; i++) {
      attempts.push(await notifyByEmail(deps, calculated).catch((e: Error) => `failed: ${e.message}`));
    }
    // Assess
    expect(attempts.map((a) => a.split(':')[0])).toEqual(['failed', 'failed', 'sent', 'skipped', 'skipped']);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.to).toBe('orders@aurum.example');
    expect(sent[0]?.id).toBe(calculated.id);
  });

  it('leaves a concurrent delivery to retry while another one is sending', async () => {
    const { deps } = setup();
    await deps.dedupe.claim('email', calculated.id, 60);
    await expect(notifyByEmail(deps, calculated)).rejects.toBeInstanceOf(EmailInProgress);
  });

  it('sends nothing for events that are not mailed', async () => {
    const { deps, sent } = setup();
    expect(await notifyByEmail(deps, { ...calculated, type: 'order.queued' })).toBe('skipped');
    expect(sent).toEqual([]);
  });
});
