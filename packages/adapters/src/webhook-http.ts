import { lookup } from 'node:dns/promises';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { WebhookRetryMessage } from '@facet/contracts';
import type {
  HostResolver,
  WebhookRequest,
  WebhookResponse,
  WebhookRetryQueue,
  WebhookSender,
} from '@facet/domain/ports';

/** POSTs with fetch; redirects are not followed (a 3xx is a failed attempt), the response body is not read. */
export class FetchWebhookSender implements WebhookSender {
  async post(request: WebhookRequest): Promise<WebhookResponse> {
    try {
      const res = await fetch(request.url, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(request.timeoutMs),
      });
      await res.body?.cancel().catch(() => undefined);
      return { status: res.status };
    } catch (error) {
      return { error: describeFailure(error, request.timeoutMs) };
    }
  }
}

function describeFailure(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError') return `No answer within ${timeoutMs / 1000} s.`;
  const cause = e.cause?.code ?? e.cause?.message ?? e.message ?? 'unknown error';
  return `Could not connect: ${cause}.`.slice(0, 300);
}

/** The system resolver, every address (what fetch may connect to). */
export class DnsHostResolver implements HostResolver {
  async resolve(hostname: string): Promise<string[]> {
    return (await lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);
  }
}

/** The webhook notifier's own queue; DelaySeconds (≤ 900) holds a retry back until it is due. */
export class SqsWebhookRetryQueue implements WebhookRetryQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(message: WebhookRetryMessage, delaySeconds: number): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(message),
        DelaySeconds: Math.min(900, Math.max(0, Math.round(delaySeconds))),
      }),
    );
  }
}
