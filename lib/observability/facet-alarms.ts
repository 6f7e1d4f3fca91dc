import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IMetric, MathExpression, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { metricHeartbeats } from '../calculation/calculator-metrics.ts';
import type { Observed } from './observed.ts';
import { type RunbookKey, runbooks } from './runbooks.ts';

export interface FacetAlarmsProps {
  readonly observed: Observed;
  readonly topic: ITopic;
}

/** A calculation job waiting this long means workers are missing, stuck or far too few. */
export const maxJobWait = Duration.minutes(15);

/**
 * An event item waiting this long in the stream, for three minutes running, means the outbox publisher is failing
 * or throttled: orders are written but nobody hears of them (no calculation job, no email, no webhook).
 */
export const maxOutboxLag = Duration.minutes(2);

/**
 * The alarms of DESIGN.md §7 and issue 4, each pointing at its runbook and notifying the alarm topic on ALARM
 * and OK: every DLQ not empty, the oldest calculation job too old, Lambda errors, worker errors, heartbeats
 * missing while jobs are in flight, API 5xx, and the outbox: events waiting too long in the stream, batches given up.
 */
export class FacetAlarms extends Construct {
  public readonly deadLetterAlarms: readonly Alarm[];
  public readonly jobAgeAlarm: Alarm;
  public readonly lambdaErrorAlarms: readonly Alarm[];
  public readonly workerErrorsAlarm: Alarm;
  public readonly heartbeatMissingAlarm: Alarm;
  public readonly api5xxAlarm: Alarm;
  public readonly outboxIteratorAgeAlarm: Alarm;
  public readonly outboxFailuresAlarm: Alarm;
  public readonly all: readonly Alarm[];

  constructor(scope: Construct, id: string, props: FacetAlarmsProps) {
    super(scope, id);
    const { observed } = props;
    const action = new SnsAction(props.topic);
    const alarm = (alarmId: string, runbook: RunbookKey, what: string, options: AlarmOptions): Alarm => {
      const created = new Alarm(this, alarmId, {
        metric: options.metric,
        threshold: options.threshold,
        evaluationPeriods: options.evaluationPeriods ?? 1,
        datapointsToAlarm: options.evaluationPeriods ?? 1,
        comparisonOperator: options.comparison ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: `${what} Runbook: ${runbooks[runbook]}`,
      });
      created.addAlarmAction(action);
      created.addOkAction(action);
      return created;
    };

    const minute = Duration.minutes(1);
    const fiveMinutes = Duration.minutes(5);

    this.deadLetterAlarms = [
      ...observed.queues.map((q) => ({ name: q.name, queue: q.deadLetterQueue })),
      ...observed.otherDeadLetterQueues,
    ].map(({ name, queue }) =>
      alarm(`${name}DlqNotEmpty`, 'dlqNotEmpty', `Dead letters in the DLQ of ${name}.`, {
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: minute, statistic: 'Maximum' }),
        threshold: 1,
      }),
    );

    this.jobAgeAlarm = alarm(
      'CalculationJobAge',
      'calculationQueueAge',
      `The oldest calculation job has waited over ${maxJobWait.toMinutes()} minutes.`,
      {
        metric: observed.jobs.metricApproximateAgeOfOldestMessage({ period: fiveMinutes, statistic: 'Maximum' }),
        threshold: maxJobWait.toSeconds(),
        evaluationPeriods: 2,
      },
    );

    this.lambdaErrorAlarms = observed.functions.map(({ name, fn }) =>
      alarm(`${name}Errors`, 'lambdaErrors', `Function ${name} failed invocations (unhandled errors or timeouts).`, {
        metric: fn.metricErrors({ period: fiveMinutes, statistic: 'Sum' }),
        threshold: 1,
      }),
    );

    this.workerErrorsAlarm = alarm('WorkerErrors', 'workerErrors', 'The calculator logged errors.', {
      metric: observed.calculator.workerErrors.metric({ period: fiveMinutes, statistic: 'Sum' }),
      threshold: 1,
    });

    // Jobs in flight for a whole window while no worker heartbeats: the holder is dead or stuck. Every job beats at
    // its start and then every 30 s (containers/calculator/src/job-loop.ts), so short jobs always show heartbeats.
    // With no job in flight (idle, or scaled to zero) the expression is 0, so scaling to zero never alarms.
    this.heartbeatMissingAlarm = alarm(
      'WorkerHeartbeatMissing',
      'workerHeartbeatMissing',
      'Calculation jobs are in flight but no worker heartbeat arrived for 10 minutes.',
      {
        metric: new MathExpression({
          expression: 'IF(FILL(inflight, 0) > 0 AND FILL(heartbeats, 0) == 0, 1, 0)',
          usingMetrics: {
            inflight: observed.jobs.metricApproximateNumberOfMessagesNotVisible({
              period: fiveMinutes,
              statistic: 'Minimum',
            }),
            heartbeats: metricHeartbeats({ period: fiveMinutes }),
          },
          label: 'Jobs in flight without heartbeats',
          period: fiveMinutes,
        }),
        threshold: 1,
        evaluationPeriods: 2,
      },
    );

    this.api5xxAlarm = alarm('Api5xx', 'api5xx', 'The API answered 5xx.', {
      metric: observed.api.metricServerError({ period: fiveMinutes, statistic: 'Sum' }),
      threshold: 1,
    });

    this.outboxIteratorAgeAlarm = alarm(
      'OutboxIteratorAge',
      'outboxIteratorAge',
      `Order events have waited over ${maxOutboxLag.toMinutes()} minutes in the table's stream for the outbox publisher.`,
      {
        metric: observed.outbox.fn.metric('IteratorAge', { period: minute, statistic: 'Maximum' }),
        threshold: maxOutboxLag.toMilliseconds(),
        evaluationPeriods: 3,
      },
    );

    this.outboxFailuresAlarm = alarm(
      'OutboxFailures',
      'outboxFailures',
      'The outbox publisher gave up on a batch of order events (its on-failure queue is not empty).',
      {
        metric: observed.outbox.failures.metricApproximateNumberOfMessagesVisible({
          period: minute,
          statistic: 'Maximum',
        }),
        threshold: 1,
      },
    );

    this.all = [
      ...this.deadLetterAlarms,
      this.jobAgeAlarm,
      ...this.lambdaErrorAlarms,
      this.workerErrorsAlarm,
      this.heartbeatMissingAlarm,
      this.api5xxAlarm,
      this.outboxIteratorAgeAlarm,
      this.outboxFailuresAlarm,
    ];
  }
}

interface AlarmOptions {
  readonly metric: IMetric;
  readonly threshold: number;
  readonly evaluationPeriods?: number;
  readonly comparison?: ComparisonOperator;
}
