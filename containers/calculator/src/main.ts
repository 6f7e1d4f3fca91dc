import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Logger } from '@aws-lambda-powertools/logger';
import { orderDeps } from '@facet/adapters';
import { sqsClient } from '@facet/adapters/aws-clients';
import { type CalculationJob, calculationJob, calculatorEnv, loadEnv, MAX_MODEL_BYTES, queues } from '@facet/contracts';
import { processCalculationJob, releaseClaim } from '@facet/domain/orders/calculate-order';
import { calculateInThread } from './calculator.ts';
import { JobLoop } from './job-loop.ts';

/**
 * The calculator task: one process per Fargate task (locally, one child process per worker). It takes a job, runs
 * the engine off the main thread (so heartbeats keep beating), commits the result, then deletes the message.
 */
const env = loadEnv(calculatorEnv);
const logger = new Logger({ serviceName: 'calculator' });
const workerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
const { visibilityTimeoutSeconds, maxReceiveCount } = queues.calculationJobs;
/** Fargate sends SIGKILL 120 s after SIGTERM; leave margin to release the message and exit. */
const STOP_GRACE_MS = 90_000;

const deps = { ...orderDeps(env), calculate: calculateInThread, maxModelBytes: MAX_MODEL_BYTES };
let currentJob: CalculationJob | undefined;

const loop = new JobLoop(
  sqsClient(),
  {
    queueUrl: env.JOBS_QUEUE_URL,
    visibilitySeconds: visibilityTimeoutSeconds,
    heartbeatSeconds: Math.floor(visibilityTimeoutSeconds / 4),
    waitSeconds: 10,
    log: (message, fields) => logger.warn(message, fields ?? {}),
  },
  async (delivery) => {
    const job = calculationJob.parse(JSON.parse(delivery.body));
    currentJob = job;
    logger.appendKeys({ orderId: job.orderId, tenantId: job.tenantId, correlationId: job.correlationId });
    try {
      const outcome = await processCalculationJob(deps, job, {
        workerId,
        leaseMs: visibilityTimeoutSeconds * 1000,
        receiveCount: delivery.receiveCount,
        maxReceiveCount,
        progressIntervalMs: 1000,
      });
      logger.info('job handled', { outcome, receiveCount: delivery.receiveCount });
      return outcome === 'done' ? { kind: 'done' } : { kind: 'retry', retryAfterSeconds: 30 };
    } finally {
      currentJob = undefined;
      logger.resetKeys();
    }
  },
);

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    const job = currentJob;
    void loop
      .stop(STOP_GRACE_MS)
      .then(async (how) => {
        if (how === 'released' && job) await releaseClaim(deps, job, workerId);
        logger.info('stopped', { how });
      })
      .finally(() => process.exit(0));
  });
}

logger.info('calculator started', { workerId, queue: env.JOBS_QUEUE_URL });
await loop.run();
