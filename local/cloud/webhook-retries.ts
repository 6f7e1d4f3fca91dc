import { SqsWebhookRetryQueue } from '@facet/adapters/webhook-http';
import type { WebhookRetryMessage } from '@facet/contracts';
import type { LocalResources } from './resources.ts';
import type { LocalClients } from './sdk-clients.ts';
import { scanItems } from './table-scan.ts';

/**
 * The local queues live in memory: webhook deliveries still retrying when the last run stopped get their next
 * attempt queued again (the notifier delays it until it is due; a surplus message is dropped as stale).
 */
export async function requeuePendingWebhooks(clients: LocalClients, resources: LocalResources): Promise<number> {
  const queue = new SqsWebhookRetryQueue(clients.sqs, resources.queueUrls.webhookNotifications);
  let count = 0;
  const pending = scanItems(clients.documents, resources.tableName, {
    FilterExpression: 'begins_with(sk, :delivery) AND #status = :pending',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':delivery': 'WHDELIVERY#', ':pending': 'pending' },
  });
  for await (const item of pending) {
    const message: WebhookRetryMessage = {
      kind: 'webhook.retry',
      tenantId: String(item.tenantId),
      webhookId: String(item.webhookId),
      deliveryId: String(item.id),
      attempt: Number(item.attempts) + 1,
    };
    await queue.send(message, 0);
    count++;
  }
  return count;
}
