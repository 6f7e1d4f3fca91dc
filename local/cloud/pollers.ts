import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { type QueueName, queues } from '@facet/wiring';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { LambdaHost } from './lambda-host.ts';

type SqsHandler = (event: SQSEvent) => Promise<SQSBatchResponse | undefined>;

/**
 * Lambda's SQS event source, locally: long poll, invoke the same handler module with a batch, delete what
 * succeeded and leave the reported failures to come back after their visibility timeout (then the DLQ).
 */
export async function startPollers(
  host: LambdaHost,
  sqs: SQSClient,
  queueUrls: Record<QueueName, string>,
): Promise<{ stop(): Promise<void> }> {
  const abort = new AbortController();
  const loops: Promise<void>[] = [];
  for (const [name, decl] of Object.entries(queues) as [QueueName, (typeof queues)[QueueName]][]) {
    const consumer = decl.consumer;
    if (consumer.kind !== 'lambda') continue;
    const handler: SqsHandler = (event) => host.invoke(consumer.entry, consumer.fn, event);
    loops.push(poll(sqs, queueUrls[name], name, consumer.batchSize, handler, abort.signal));
  }
  return {
    async stop() {
      abort.abort();
      await Promise.allSettled(loops);
    },
  };
}

async function poll(
  sqs: SQSClient,
  queueUrl: string,
  queue: string,
  batchSize: number,
  handler: SqsHandler,
  signal: AbortSignal,
) {
  const arn = `arn:aws:sqs:us-east-1:000000000000:${queueUrl.split('/').pop()}`;
  while (!signal.aborted) {
    try {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: batchSize,
          WaitTimeSeconds: 5,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
        { abortSignal: signal },
      );
      if (Messages.length === 0) continue;
      const event: SQSEvent = {
        Records: Messages.map((m) => ({
          messageId: m.MessageId ?? '',
          receiptHandle: m.ReceiptHandle ?? '',
          body: m.Body ?? '',
          attributes: m.Attributes as SQSEvent['Records'][number]['attributes'],
          messageAttributes: {},
          md5OfBody: m.MD5OfBody ?? '',
          eventSource: 'aws:sqs',
          eventSourceARN: arn,
          awsRegion: 'us-east-1',
        })),
      };
      let failed = new Set<string>();
      try {
        const result = await handler(event);
        failed = new Set((result?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
      } catch (error) {
        console.error(`[poller ${queue}] handler threw; the batch will be retried`, error);
        failed = new Set(Messages.map((m) => m.MessageId ?? ''));
      }
      const done = Messages.filter((m) => !failed.has(m.MessageId ?? ''));
      if (done.length) {
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
          }),
        );
      }
    } catch (error) {
      if (signal.aborted) return;
      console.error(`[poller ${queue}]`, error);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}
