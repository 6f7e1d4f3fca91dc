import { Duration } from 'aws-cdk-lib';
import { AlarmStatusWidget, Dashboard, GraphWidget, type IAlarm, TextWidget } from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import {
  metricHeartbeats,
  metricJobSeconds,
  metricJobsCompleted,
  metricRunningTasks,
} from '../calculation/calculator-metrics.ts';
import type { Observed } from './observed.ts';

export interface FacetDashboardProps {
  readonly observed: Observed;
  readonly alarms: readonly IAlarm[];
}

/** One dashboard, every metric from a `metricX()` helper (CDK's or ours in calculator-metrics.ts). */
export class FacetDashboard extends Construct {
  public readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: FacetDashboardProps) {
    super(scope, id);
    const { observed } = props;
    const period = Duration.minutes(5);
    const { calculator } = observed;

    this.dashboard = new Dashboard(this, 'Dashboard', { defaultInterval: Duration.hours(6) });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown:
          '# Facet\nAPI → Lambda → DynamoDB (order + event) → stream → outbox publisher → SNS → SQS → calculator, notifiers',
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(new AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms], width: 24 }));
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'API requests and errors',
        left: [observed.api.metricCount({ period })],
        right: [observed.api.metricClientError({ period }), observed.api.metricServerError({ period })],
        width: 12,
      }),
      new GraphWidget({
        title: 'API latency p90',
        left: [
          observed.api.metricLatency({ period, statistic: 'p90' }),
          observed.api.metricIntegrationLatency({ period, statistic: 'p90' }),
        ],
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Lambda errors',
        left: observed.functions.map(({ name, fn }) => fn.metricErrors({ period, label: name })),
        width: 8,
      }),
      new GraphWidget({
        title: 'Lambda duration p90',
        left: observed.functions.map(({ name, fn }) => fn.metricDuration({ period, statistic: 'p90', label: name })),
        width: 8,
      }),
      new GraphWidget({
        title: 'Lambda throttles',
        left: observed.functions.map(({ name, fn }) => fn.metricThrottles({ period, label: name })),
        width: 8,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Queue depth',
        left: observed.queues.map(({ name, queue }) =>
          queue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum', label: name }),
        ),
        width: 8,
      }),
      new GraphWidget({
        title: 'Oldest message age (s)',
        left: observed.queues.map(({ name, queue }) =>
          queue.metricApproximateAgeOfOldestMessage({ period, statistic: 'Maximum', label: name }),
        ),
        width: 8,
      }),
      new GraphWidget({
        title: 'Dead letters',
        left: [
          ...observed.queues.map(({ name, deadLetterQueue }) =>
            deadLetterQueue.metricApproximateNumberOfMessagesVisible({
              period,
              statistic: 'Maximum',
              label: `${name} DLQ`,
            }),
          ),
          ...observed.otherDeadLetterQueues.map(({ name, queue }) =>
            queue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum', label: name }),
          ),
        ],
        width: 8,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Calculator tasks and backlog per task',
        left: [
          metricRunningTasks(calculator.cluster.clusterName, calculator.service.serviceName, {
            label: 'running tasks',
          }),
        ],
        right: [calculator.backlogPerTask],
        width: 6,
      }),
      new GraphWidget({
        title: 'Calculator CPU / memory %',
        left: [
          calculator.service.metricCpuUtilization({ period }),
          calculator.service.metricMemoryUtilization({ period }),
        ],
        width: 6,
      }),
      new GraphWidget({
        title: 'Calculations completed / p90 seconds',
        left: [metricJobsCompleted({ period, label: 'completed' })],
        right: [metricJobSeconds({ period, label: 'p90 s' })],
        width: 6,
      }),
      new GraphWidget({
        title: 'Calculator heartbeats and errors',
        left: [metricHeartbeats({ period, label: 'heartbeats' })],
        right: [calculator.workerErrors.metric({ period, statistic: 'Sum', label: 'error lines' })],
        width: 6,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Outbox: oldest unpublished event (ms)',
        left: [observed.outbox.fn.metric('IteratorAge', { period: Duration.minutes(1), statistic: 'Maximum' })],
        width: 8,
      }),
      new GraphWidget({
        title: 'Outbox publisher: invocations and errors',
        left: [observed.outbox.fn.metricInvocations({ period })],
        right: [observed.outbox.fn.metricErrors({ period })],
        width: 8,
      }),
      new GraphWidget({
        title: 'Outbox: batches given up',
        left: [
          observed.outbox.failures.metricApproximateNumberOfMessagesVisible({
            period,
            statistic: 'Maximum',
            label: 'failure queue',
          }),
        ],
        width: 8,
      }),
    );
  }
}
