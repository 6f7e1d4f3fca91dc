import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { orderDeps } from '@facet/adapters';
import { sqsClient } from '@facet/adapters/aws-clients';
import { threadCalculator } from '@facet/calculation/calculator';
import {
  type CalculationJob,
  calculationJob,
  calculatorEnv,
  loadEnv,
  MAX_MODEL_BYTES,
  calculatorMetricNames as names,
} from '@facet/contracts';
import { processCalculationJob, releaseClaim } from '@facet/domain/orders/calculate-order';
import { queues } from '@facet/wiring';
import { JobLoop } from './job-loop.ts';
import { ScaleInProtection } from './scale-in-protection.ts';

/**
 * The calculator task: one process per Fargate task (locally, one child process per worker), running
 * WORKER_CONCURRENCY job loops. Each job runs the engine off the main thread (so heartbeats keep beating),
 * commits the result, then deletes its message.
 */
const env = loadEnv(calculatorEnv);
const logger = new Logger({ serviceName: names.serviceName });
const metrics = new Metrics({ namespace: names.namespace, serviceName: names.serviceName });
const workerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
const { visibilityTimeoutSeconds, maxReceiveCount } = queues.calculationJobs;

const orders = orderDeps(env);
const deps = { ...orders, calculate: threadCalculator(orders.priceBook), maxModelBytes: MAX_MODEL_BYTES };
// ECS sets ECS_AGENT_URI inside a task; locally it is absent and protection is a no-op.
const protection = new ScaleInProtection(process.env.ECS_AGENT_URI, (message, fields) =>
  logger.warn(message, fields ?? {}),
);

function emit(name: string, unit: (typeof MetricUnit)[keyof typeof MetricUnit], value: number): void {
  metrics.addMetric(name, unit, value);
  metrics.publishStoredMetrics();
}

function startLoop(slot: number) {
  // The lease owner is the loop, not the process: two loops of one task must not take each other's claim.
  const owner = `${workerId}/${slot}`;
  let current: CalculationJob | undefined;
  const loop = new JobLoop(
    sqsClient(),
    {
      queueUrl: env.JOBS_QUEUE_URL,
      visibilitySeconds: visibilityTimeoutSeconds,
      heartbeatSeconds: Math.floor(visibilityTimeoutSeconds / 4),
      waitSeconds: 10,
      log: (message, fields) => logger.warn(message, { slot, ...fields }),
      onHeartbeat: () => emit(names.heartbeat, MetricUnit.Count, 1),
    },
    async (delivery) => {
      const job = calculationJob.parse(JSON.parse(delivery.body));
      current = job;
      const started = Date.now();
      const log = logger.createChild({
        persistentKeys: { slot, orderId: job.orderId, tenantId: job.tenantId, correlationId: job.correlationId },
      });
      try {
        const outcome = await protection.during(() =>
          processCalculationJob(deps, job, {
            workerId: owner,
            leaseMs: visibilityTimeoutSeconds * 1000,
            receiveCount: delivery.receiveCount,
            maxReceiveCount,
            progressIntervalMs: 1000,
          }),
        );
        log.info('job handled', { outcome, receiveCount: delivery.receiveCount, ms: Date.now() - started });
        if (outcome === 'done') {
          emit(names.jobsCompleted, MetricUnit.Count, 1);
          emit(names.jobSeconds, MetricUnit.Seconds, (Date.now() - started) / 1000);
          return { kind: 'done' };
        }
        return { kind: 'retry', retryAfterSeconds: 30 };
      } catch (error) {
        log.error('job failed', error as Error);
        throw error;
      } finally {
        current = undefined;
      }
    },
  );
  const running = loop.run();
  return {
    running,
    async stop() {
      const job = current;
      const how = await loop.stop(env.STOP_GRACE_SECONDS * 1000);
      if (how === 'released' && job) await releaseClaim(deps, job, owner);
      return how;
    },
  };
}

const loops = Array.from({ length: env.WORKER_CONCURRENCY }, (_, i) => startLoop(i + 1));

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    void Promise.all(loops.map((l) => l.stop()))
      .then(async (how) => {
        await protection.settled();
        logger.info('stopped', { how });
      })
      .catch((error) => logger.error('stop failed', error as Error))
      .finally(() => process.exit(0));
  });
}

logger.info('calculator started', { workerId, concurrency: env.WORKER_CONCURRENCY });
await Promise.all(loops.map((l) => l.running));
