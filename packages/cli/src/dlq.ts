import { parseArgs } from 'node:util';
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { sqsClient } from '@facet/adapters/aws-clients';
import { useLocalCloud } from './target.ts';

/**
 * `npm run dlq -- list | show QUEUE | redrive QUEUE` — inspect and redrive dead letters. Queues are found by the
 * tags every stack and the local cloud put on them (`facet:dead-letter-of`), so the same commands work locally
 * (default, against `npm start`) and on AWS (`--aws`, with normal credentials; `--stage` picks the stack).
 */

const DLQ_TAG = 'facet:dead-letter-of';
const SOURCE_TAG = 'facet:queue';

export interface DeadLetterQueue {
  readonly name: string;
  readonly url: string;
  readonly sourceUrl: string | undefined;
  readonly messages: number;
  readonly inFlight: number;
}

/** Every Facet DLQ with its source queue, by tags (optionally only the queues whose URL contains `filter`). */
export async function findDeadLetterQueues(sqs: SQSClient, filter?: string): Promise<DeadLetterQueue[]> {
  const urls: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await sqs.send(new ListQueuesCommand({ NextToken, MaxResults: 1000 }));
    urls.push(...(page.QueueUrls ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  const tagged = await Promise.all(
    urls
      .filter((u) => !filter || u.includes(filter))
      .map(async (url) => ({ url, tags: (await sqs.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags ?? {} })),
  );
  const sources = new Map(tagged.filter((q) => q.tags[SOURCE_TAG]).map((q) => [q.tags[SOURCE_TAG], q.url]));
  const dlqs = tagged.filter((q) => q.tags[DLQ_TAG]);
  return Promise.all(
    dlqs.map(async ({ url, tags }) => {
      const { Attributes = {} } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }),
      );
      const name = String(tags[DLQ_TAG]);
      return {
        name,
        url,
        sourceUrl: sources.get(name),
        messages: Number(Attributes.ApproximateNumberOfMessages ?? 0),
        inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
      };
    }),
  );
}

/** Reads up to `max` dead letters without consuming them (they become visible again at once). */
export async function peek(sqs: SQSClient, url: string, max: number): Promise<Message[]> {
  const seen = new Map<string, Message>();
  while (seen.size < max) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: Math.min(10, max - seen.size),
        WaitTimeSeconds: 1,
        VisibilityTimeout: 0,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    const fresh = Messages.filter((m) => m.MessageId && !seen.has(m.MessageId));
    if (fresh.length === 0) break;
    for (const m of fresh) seen.set(String(m.MessageId), m);
  }
  return [...seen.values()];
}

/** Moves up to `max` messages back to the source queue: sent first, deleted from the DLQ only once sent. */
export async function redrive(sqs: SQSClient, dlq: DeadLetterQueue, max: number): Promise<number> {
  if (!dlq.sourceUrl) throw new Error(`No source queue tagged ${SOURCE_TAG}=${dlq.name}`);
  let moved = 0;
  while (moved < max) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: dlq.url,
        MaxNumberOfMessages: Math.min(10, max - moved),
        WaitTimeSeconds: 1,
        VisibilityTimeout: 60,
        MessageAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) break;
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: dlq.sourceUrl,
        Entries: Messages.map((m, i) => ({
          Id: String(i),
          MessageBody: m.Body ?? '',
          MessageAttributes: m.MessageAttributes,
        })),
      }),
    );
    const ok = new Set((sent.Successful ?? []).map((s) => s.Id));
    const done = Messages.filter((_, i) => ok.has(String(i)));
    if (done.length) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: dlq.url,
          Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
        }),
      );
    }
    moved += done.length;
    if (done.length < Messages.length)
      throw new Error(`${Messages.length - done.length} message(s) could not be sent back; they stay in the DLQ`);
  }
  return moved;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      aws: { type: 'boolean', default: false },
      stage: { type: 'string' },
      max: { type: 'string', default: '10' },
      help: { type: 'boolean', default: false },
    },
  });
  const [command, queue] = positionals;
  if (values.help || !command || !['list', 'show', 'redrive'].includes(command)) {
    console.log(
      'npm run dlq -- list | show QUEUE | redrive QUEUE [--max N] [--aws [--stage dev]]\n  QUEUE is the wiring name, e.g. calculationJobs',
    );
    return command ? 2 : 0;
  }
  if (!values.aws) useLocalCloud();
  const sqs = sqsClient();
  const dlqs = await findDeadLetterQueues(sqs, values.aws && values.stage ? `Facet-${values.stage}-` : undefined);
  if (command === 'list') {
    if (dlqs.length === 0) console.log('No Facet dead-letter queues found.');
    for (const d of dlqs)
      console.log(
        `${d.name.padEnd(24)} ${String(d.messages).padStart(6)} waiting ${String(d.inFlight).padStart(4)} in flight  ${d.url}`,
      );
    return 0;
  }
  const dlq = dlqs.find((d) => d.name === queue);
  if (!dlq) {
    console.error(`No dead-letter queue for "${queue}". Known: ${dlqs.map((d) => d.name).join(', ') || 'none'}`);
    return 2;
  }
  const max = Number(values.max);
  if (command === 'show') {
    for (const m of await peek(sqs, dlq.url, max)) {
      const sent = new Date(Number(m.Attributes?.SentTimestamp ?? 0)).toISOString();
      console.log(
        `--- ${m.MessageId}  sent ${sent}  received ${m.Attributes?.ApproximateReceiveCount ?? '?'}×\n${m.Body}`,
      );
    }
    return 0;
  }
  console.log(`Redrove ${await redrive(sqs, dlq, max)} message(s) from ${dlq.name}'s DLQ to ${dlq.sourceUrl}.`);
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
