/** Every alarm names its runbook; test/infra asserts each file exists under docs/runbooks/. */
export const runbooks = {
  dlqNotEmpty: 'docs/runbooks/dlq-not-empty.md',
  calculationQueueAge: 'docs/runbooks/calculation-queue-age.md',
  lambdaErrors: 'docs/runbooks/lambda-errors.md',
  workerErrors: 'docs/runbooks/worker-errors.md',
  workerHeartbeatMissing: 'docs/runbooks/worker-heartbeat-missing.md',
  api5xx: 'docs/runbooks/api-5xx.md',
  outboxIteratorAge: 'docs/runbooks/outbox-iterator-age.md',
  outboxFailures: 'docs/runbooks/outbox-failures.md',
} as const;

export type RunbookKey = keyof typeof runbooks;
