import { setTimeout as delay } from 'node:timers/promises';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { StreamDecl } from '@facet/wiring';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';

export type StreamInvoke = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | undefined>;

export interface StreamPollerOptions {
  readonly name: string;
  readonly decl: StreamDecl;
  readonly tableName: string;
  readonly dynamo: DynamoDBClient;
  readonly streams: DynamoDBStreamsClient;
  readonly invoke: StreamInvoke;
  /** Where a batch goes after its last failed attempt (as Lambda's on-failure destination). */
  readonly onGiveUp: (failure: {
    shardId: string;
    firstSequenceNumber: string;
    lastSequenceNumber: string;
    attempts: number;
    records: number;
  }) => Promise<void>;
  readonly log: (line: string) => void;
  /** Pause between reads of an idle shard. */
  readonly idleMs?: number;
}

interface Shard {
  readonly id: string;
  readonly parent?: string;
  iterator?: string;
  closed: boolean;
}

/**
 * Lambda's DynamoDB-stream event source, locally: reads every shard of the table's stream in order (a child shard
 * after its parent), keeps the records the event-source filter keeps (new items under the declared sort-key
 * prefix), invokes the consumer with batches, and retries from the first failed record (partial batch responses)
 * with backoff, `retryAttempts` times, before handing the batch to `onGiveUp`. It starts at the trim horizon: the
 * local queues live in memory, so on every start the retained stream is offered again, and consumers, all
 * idempotent (ADR 0008), ignore what they already did.
 */
export function startStreamPoller(options: StreamPollerOptions): { stop(): Promise<void> } {
  const abort = new AbortController();
  const idleMs = options.idleMs ?? 100;
  const shards = new Map<string, Shard>();
  const loop = (async () => {
    const streamArn = await streamArnOf(options);
    let lastDescribe = 0;
    while (!abort.signal.aborted) {
      try {
        if (Date.now() - lastDescribe > 2000 || [...shards.values()].every((s) => s.closed)) {
          await discover(options.streams, streamArn, shards);
          lastDescribe = Date.now();
        }
        let busy = false;
        for (const shard of shards.values()) {
          if (shard.closed || !ready(shard, shards)) continue;
          busy = (await readShard(options, streamArn, shard, abort.signal)) || busy;
        }
        if (!busy) await sleep(idleMs, abort.signal);
      } catch (error) {
        if (abort.signal.aborted) return;
        options.log(`[stream ${options.name}] ${String(error)}`);
        await sleep(1000, abort.signal);
      }
    }
  })();
  return {
    async stop() {
      abort.abort();
      await loop.catch(() => undefined);
    },
  };
}

async function streamArnOf(options: StreamPollerOptions): Promise<string> {
  const { Table } = await options.dynamo.send(new DescribeTableCommand({ TableName: options.tableName }));
  if (!Table?.LatestStreamArn) throw new Error(`table ${options.tableName} has no stream`);
  return Table.LatestStreamArn;
}

async function discover(streams: DynamoDBStreamsClient, streamArn: string, known: Map<string, Shard>): Promise<void> {
  let start: string | undefined;
  do {
    const { StreamDescription } = await streams.send(
      new DescribeStreamCommand({ StreamArn: streamArn, ...(start ? { ExclusiveStartShardId: start } : {}) }),
    );
    for (const s of StreamDescription?.Shards ?? []) {
      if (!s.ShardId || known.has(s.ShardId)) continue;
      known.set(s.ShardId, { id: s.ShardId, ...(s.ParentShardId ? { parent: s.ParentShardId } : {}), closed: false });
    }
    start = StreamDescription?.LastEvaluatedShardId;
  } while (start);
}

/** A child shard is read only once its parent (if we know it) is read to its end: per-item order holds. */
const ready = (shard: Shard, all: Map<string, Shard>) => {
  const parent = shard.parent ? all.get(shard.parent) : undefined;
  return !parent || parent.closed;
};

/** Reads one page of a shard and delivers it; true if there were records. */
async function readShard(options: StreamPollerOptions, streamArn: string, shard: Shard, signal: AbortSignal) {
  if (!shard.iterator) {
    const { ShardIterator } = await options.streams.send(
      new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.id, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    shard.iterator = ShardIterator;
  }
  if (!shard.iterator) {
    shard.closed = true;
    return false;
  }
  const page = await options.streams.send(
    new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: options.decl.consumer.batchSize }),
  );
  shard.iterator = page.NextShardIterator;
  if (!shard.iterator) shard.closed = true;
  const records = (page.Records ?? []).filter((r) => passesFilter(r, options.decl));
  if (records.length > 0) await deliver(options, streamArn, shard.id, records.map(toLambdaRecord(streamArn)), signal);
  return (page.Records ?? []).length > 0;
}

/** The event-source filter of lib/: inserts of items whose sort key starts with the declared prefix. */
function passesFilter(record: StreamRecord, decl: StreamDecl): boolean {
  const sk = record.dynamodb?.NewImage?.sk?.S;
  return record.eventName === 'INSERT' && typeof sk === 'string' && sk.startsWith(decl.sortKeyPrefix);
}

const toLambdaRecord =
  (streamArn: string) =>
  (record: StreamRecord): DynamoDBRecord => ({
    eventID: record.eventID,
    eventName: record.eventName as DynamoDBRecord['eventName'],
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    eventSourceARN: streamArn,
    dynamodb: record.dynamodb as DynamoDBRecord['dynamodb'],
  });

/** Delivers a batch; on failure retries from the first failed record, then gives up on what is left. */
async function deliver(
  options: StreamPollerOptions,
  streamArn: string,
  shardId: string,
  batch: DynamoDBRecord[],
  signal: AbortSignal,
): Promise<void> {
  let pending = batch;
  for (let attempt = 0; pending.length > 0; attempt++) {
    let failedFrom: number;
    try {
      const result = await options.invoke({ Records: pending });
      const failed = new Set((result?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
      failedFrom = pending.findIndex((r) => failed.has(r.dynamodb?.SequenceNumber ?? ''));
    } catch (error) {
      options.log(`[stream ${options.name}] the consumer threw; the batch is retried: ${String(error)}`);
      failedFrom = 0;
    }
    if (failedFrom < 0) return;
    pending = pending.slice(failedFrom);
    if (attempt >= options.decl.consumer.retryAttempts) {
      await options.onGiveUp({
        shardId,
        firstSequenceNumber: pending[0]?.dynamodb?.SequenceNumber ?? '',
        lastSequenceNumber: pending.at(-1)?.dynamodb?.SequenceNumber ?? '',
        attempts: attempt + 1,
        records: pending.length,
      });
      options.log(
        `[stream ${options.name}] gave up on ${pending.length} record(s) of ${streamArn} after ${attempt + 1} attempts`,
      );
      return;
    }
    await sleep(Math.min(5000, 100 * 2 ** attempt), signal);
    if (signal.aborted) return;
  }
}

/** Waits, or less if the poller stops meanwhile. */
const sleep = (ms: number, signal: AbortSignal) => delay(ms, undefined, { signal }).catch(() => undefined);
