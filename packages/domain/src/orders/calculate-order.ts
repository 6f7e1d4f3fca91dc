import type { CalculationJob } from '@facet/contracts';
import { ObjectTooLarge } from '../errors.ts';
import type { Order, OrderMetrics, OrderQuote } from '../order.ts';
import { change, transition } from '../order.ts';
import { PROGRESS_EVENT } from '../order-states.ts';
import type { BlobStore, OrderStore } from '../ports.ts';
import type { QuoteInput } from '../pricing.ts';
import { orderPrefix } from './deps.ts';

/** What a calculation produced, in the terms the order needs. A model that cannot be made is `rejected`. */
export interface CalculationOutcome {
  readonly verdict: 'quoted' | 'rejected';
  readonly reasons: readonly string[];
  readonly metrics?: OrderMetrics;
  readonly quote?: OrderQuote;
  readonly pricing?: QuoteInput;
  readonly defects?: readonly { readonly code: string; readonly message: string }[];
  readonly reportJson: string;
  /** How the engine read the model (stl-binary, stl-ascii, obj, 3mf): the viewer picks its loader by it. */
  readonly modelFormat?: 'stl-binary' | 'stl-ascii' | 'obj' | '3mf';
  readonly thumbnailPng?: Uint8Array;
  /** The repaired model (binary STL), when the engine repaired something: offered for download. */
  readonly repairedStl?: Uint8Array;
}

export type ProgressListener = (stage: string, percent: number) => void;
/** The CPU-bound calculation; it must turn bad models into a `rejected` outcome, not an exception. */
export type Calculator = (bytes: Uint8Array, order: Order, onProgress: ProgressListener) => Promise<CalculationOutcome>;

export interface CalculationDeps {
  readonly orders: OrderStore;
  readonly blobs: BlobStore;
  readonly clock: () => Date;
  readonly calculate: Calculator;
  readonly maxModelBytes: number;
}

export interface JobContext {
  /** Unique per worker process: the lease owner. */
  readonly workerId: string;
  /** How long a claim holds without renewal; a crashed worker's claim lapses after it. */
  readonly leaseMs: number;
  /** SQS ApproximateReceiveCount of this delivery, and the queue's redrive threshold. */
  readonly receiveCount: number;
  readonly maxReceiveCount: number;
  /** Progress is written at most this often. */
  readonly progressIntervalMs: number;
}

/**
 * `done`: delete the message (committed, or a duplicate of finished work). `busy`: another live worker holds
 * the order; leave the message, it will come back and find the order done.
 */
export type JobOutcome = 'done' | 'busy';

const FINISHED = new Set([
  'quoted',
  'rejected',
  'failed',
  'cancelled',
  'confirmed',
  'in_production',
  'shipped',
  'delivered',
]);

export async function processCalculationJob(
  deps: CalculationDeps,
  job: CalculationJob,
  ctx: JobContext,
): Promise<JobOutcome> {
  const found = await deps.orders.get(job.tenantId, job.orderId);
  // A duplicate of finished work: the result and its event were stored together, nothing is left to do.
  if (!found || FINISHED.has(found.status)) return 'done';
  // A stale job (e.g. for a model since replaced, the order awaiting its new upload): nothing to calculate.
  if (found.status !== 'queued' && found.status !== 'calculating') return 'done';
  const now = deps.clock();
  if (
    found.status === 'calculating' &&
    found.lease &&
    found.lease.owner !== ctx.workerId &&
    found.lease.expiresAt > now.getTime()
  ) {
    return 'busy';
  }
  let current = await claim(deps, found, ctx, now);
  try {
    const bytes = await readModel(deps, current);
    if (typeof bytes === 'string') return await commit(deps, current, refused(bytes), ctx);
    let lastWrite = 0;
    let pending: Promise<void> = Promise.resolve();
    const onProgress: ProgressListener = (stage, percent) => {
      const t = Date.now();
      if (t - lastWrite < ctx.progressIntervalMs) return;
      lastWrite = t;
      pending = pending.then(async () => {
        // Progress is an (internal) event too: the operators' board shows it live.
        const { order: next, event } = change(
          current,
          { progress: { stage, percent: Math.round(percent) }, lease: lease(deps, ctx) },
          deps.clock(),
          PROGRESS_EVENT,
          worker(ctx),
        );
        await deps.orders.save(next, current.version, event);
        current = next;
      });
    };
    const outcome = await deps.calculate(bytes, current, onProgress);
    await pending;
    return await commit(deps, current, outcome, ctx);
  } catch (error) {
    if (ctx.receiveCount < ctx.maxReceiveCount) throw error;
    // Last delivery before the DLQ: the order must not stay `calculating`.
    const reason =
      'We could not calculate this model after several attempts. Our team has been alerted and will contact you.';
    const latest = (await deps.orders.get(job.tenantId, job.orderId)) ?? current;
    if (latest.status === 'calculating') {
      const { order, event } = transition(
        latest,
        'failed',
        { failureReason: reason, lease: undefined, progress: undefined },
        deps.clock(),
        undefined,
        worker(ctx),
      );
      await deps.orders.save(order, latest.version, event);
    }
    throw error;
  }
}

async function claim(deps: CalculationDeps, order: Order, ctx: JobContext, now: Date): Promise<Order> {
  if (order.status === 'queued') {
    const { order: next, event } = transition(
      order,
      'calculating',
      { lease: lease(deps, ctx), progress: { stage: 'queued', percent: 0 } },
      now,
      undefined,
      worker(ctx),
    );
    await deps.orders.save(next, order.version, event);
    return next;
  }
  // Taking over a lapsed claim (its worker died): same status, new owner, no new event.
  const next: Order = { ...order, version: order.version + 1, lease: lease(deps, ctx), updatedAt: now.toISOString() };
  await deps.orders.save(next, order.version);
  return next;
}

const MiB = 1024 * 1024;

/** The worker as the actor of what it writes (the audit log's "who"). */
const worker = (ctx: JobContext) => ({ kind: 'system' as const, id: ctx.workerId });

/**
 * The model's bytes, or why they cannot be calculated (a customer-readable reason): an upload over our limit or of
 * another size than declared is the client's doing, so it is a rejection, never a retried failure or an alert.
 */
async function readModel(deps: CalculationDeps, order: Order): Promise<Uint8Array | string> {
  const limit = `we accept models up to ${Math.round(deps.maxModelBytes / MiB)} MB`;
  try {
    const bytes = await deps.blobs.get(order.file.key, deps.maxModelBytes);
    if (bytes.length === order.file.size) return bytes;
    return `The uploaded file is ${bytes.length} bytes, but the order declared ${order.file.size}; upload the model again with its real size.`;
  } catch (error) {
    if (!(error instanceof ObjectTooLarge)) throw error;
    return `The uploaded file is ${(error.size / MiB).toFixed(1)} MB; ${limit}.`;
  }
}

/** A rejection decided before the engine ran (the file itself is refused). */
function refused(reason: string): CalculationOutcome {
  const defects = [{ code: 'file_refused', message: reason }];
  return {
    verdict: 'rejected',
    reasons: [reason],
    defects,
    reportJson: JSON.stringify({ schemaVersion: 1, verdict: 'rejected', reasons: defects }),
  };
}

const lease = (deps: CalculationDeps, ctx: JobContext) => ({
  owner: ctx.workerId,
  expiresAt: deps.clock().getTime() + ctx.leaseMs,
});

async function commit(
  deps: CalculationDeps,
  order: Order,
  outcome: CalculationOutcome,
  ctx: JobContext,
): Promise<JobOutcome> {
  const prefix = orderPrefix(order.tenantId, order.id);
  const reportKey = `${prefix}/report.json`;
  await deps.blobs.put(reportKey, outcome.reportJson, 'application/json');
  let thumbnailKey: string | undefined;
  if (outcome.thumbnailPng) {
    thumbnailKey = `${prefix}/thumbnail.png`;
    await deps.blobs.put(thumbnailKey, outcome.thumbnailPng, 'image/png');
  }
  let repairedKey: string | undefined;
  if (outcome.repairedStl) {
    repairedKey = `${prefix}/repaired.stl`;
    await deps.blobs.put(repairedKey, outcome.repairedStl, 'model/stl');
  }
  const result = {
    reportKey,
    ...(thumbnailKey ? { thumbnailKey } : {}),
    ...(repairedKey ? { repairedKey } : {}),
    ...(outcome.metrics ? { metrics: outcome.metrics } : {}),
    ...(outcome.modelFormat ? { modelFormat: outcome.modelFormat } : {}),
    ...(outcome.quote ? { quote: outcome.quote } : {}),
    ...(outcome.pricing ? { pricing: outcome.pricing } : {}),
    ...(outcome.verdict === 'rejected' ? { rejectionReasons: outcome.reasons } : {}),
    ...(outcome.defects?.length ? { defects: outcome.defects } : {}),
  };
  const { order: next, event } = transition(
    order,
    outcome.verdict,
    { result, lease: undefined, progress: undefined },
    deps.clock(),
    undefined,
    worker(ctx),
  );
  await deps.orders.save(next, order.version, event);
  return 'done';
}

/** A stopping worker gives its claim back, so the released message is taken over at once, not after the lease. */
export async function releaseClaim(
  deps: Pick<CalculationDeps, 'orders' | 'clock'>,
  job: CalculationJob,
  workerId: string,
): Promise<void> {
  const order = await deps.orders.get(job.tenantId, job.orderId);
  if (order?.status !== 'calculating' || order.lease?.owner !== workerId) return;
  await deps.orders.save(
    {
      ...order,
      version: order.version + 1,
      lease: { owner: workerId, expiresAt: 0 },
      updatedAt: deps.clock().toISOString(),
    },
    order.version,
  );
}
