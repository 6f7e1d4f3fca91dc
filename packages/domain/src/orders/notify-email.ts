import type { OrderEvent } from '@facet/contracts';
import type { Order } from '../order.ts';
import type { Mail } from '../ports.ts';
import type { NotifierDeps } from './deps.ts';

/** Event types that produce an email to the company's notification address. */
const MAILED = new Set(['order.calculated', 'order.rejected']);
/** How long the record of a sent email is kept (event redeliveries come within days), and a send may take. */
const SENT_KEEP_SECONDS = 7 * 24 * 3600;
const SEND_LEASE_SECONDS = 60;

/** The event is being mailed by a concurrent delivery: retry this one later (it will then find the email sent). */
export class EmailInProgress extends Error {
  constructor(eventId: string) {
    super(`the email for ${eventId} is being sent by another delivery`);
    this.name = 'EmailInProgress';
  }
}

/**
 * Sends the email for an order event, once per event id however often the event is delivered. The event counts
 * as mailed only once the mailer accepted it: if it refuses (SES sandbox, a missing grant), the claim is given
 * back and the error goes up, so the record is retried and lands in the DLQ, with its alarm — never dropped.
 */
export async function notifyByEmail(deps: NotifierDeps, event: OrderEvent): Promise<'sent' | 'skipped'> {
  if (!MAILED.has(event.type)) return 'skipped';
  const [tenant, order] = await Promise.all([
    deps.tenants.getTenant(event.tenantId),
    deps.orders.get(event.tenantId, event.orderId),
  ]);
  if (!tenant || !order) return 'skipped';
  const claim = await deps.dedupe.claim('email', event.id, SEND_LEASE_SECONDS);
  if (claim === 'done') return 'skipped';
  if (claim === 'busy') throw new EmailInProgress(event.id);
  try {
    await deps.mailer.send(composeMail(event, order, tenant.notificationEmail));
  } catch (error) {
    await deps.dedupe.release('email', event.id);
    throw error;
  }
  await deps.dedupe.complete('email', event.id, SENT_KEEP_SECONDS);
  return 'sent';
}

export function composeMail(event: OrderEvent, order: Order, to: string): Mail {
  const name = order.reference ? `${order.reference} (${order.id})` : order.id;
  const quote = order.result?.quote;
  const metrics = order.result?.metrics;
  const lines: string[] = [];
  let subject: string;
  if (event.type === 'order.calculated' && quote) {
    subject = `Quote ready for order ${name}: ${formatMoney(quote.total, quote.currency)}`;
    lines.push(`Your model "${order.file.name}" has been calculated.`);
    if (metrics) {
      lines.push(
        `Volume ${metrics.volumeMm3.toFixed(1)} mm³, metal weight ${metrics.weightGrams.toFixed(2)} g per piece.`,
      );
    }
    for (const line of quote.lines) lines.push(`  ${line.label}: ${formatMoney(line.amount, quote.currency)}`);
    lines.push(`Total ${formatMoney(quote.total, quote.currency)}, valid until ${quote.validUntil}.`);
  } else {
    subject = `Order ${name}: the model cannot be manufactured as it is`;
    lines.push(`We could not accept the model "${order.file.name}":`);
    for (const reason of order.result?.rejectionReasons ?? [order.failureReason ?? 'unknown reason'])
      lines.push(`  - ${reason}`);
    lines.push('Upload a corrected model to go on.');
  }
  const text = lines.join('\n');
  const html = `<!doctype html><html><body><h1>${escapeHtml(subject)}</h1><pre>${escapeHtml(text)}</pre></body></html>`;
  return { id: event.id, to, subject, text, html };
}

const formatMoney = (amount: number, currency: string) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(amount);

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
