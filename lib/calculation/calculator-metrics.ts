import { calculatorMetricNames } from '@facet/contracts/metrics';
import { Duration } from 'aws-cdk-lib';
import { Metric, type MetricOptions } from 'aws-cdk-lib/aws-cloudwatch';

/**
 * The calculator's custom metrics as `metricX()` helpers. Names come from the contract the worker publishes with
 * (`calculatorMetricNames`, Powertools EMF on stdout; CloudWatch extracts EMF from the awslogs stream). Powertools
 * adds the `service` dimension from its serviceName. `WorkerErrors` is not emitted by code: a metric filter in
 * CalculatorService counts ERROR log lines into it.
 */
export const calculatorMetrics = {
  namespace: calculatorMetricNames.namespace,
  serviceName: calculatorMetricNames.serviceName,
  workerErrors: 'WorkerErrors',
} as const;

function workerMetric(metricName: string, statistic: string, options: MetricOptions): Metric {
  return new Metric({
    namespace: calculatorMetricNames.namespace,
    metricName,
    dimensionsMap: { service: calculatorMetricNames.serviceName },
    statistic,
    period: Duration.minutes(5),
    ...options,
  });
}

/** One per visibility heartbeat while a job runs. */
export function metricHeartbeats(options: MetricOptions = {}): Metric {
  return workerMetric(calculatorMetricNames.heartbeat, 'Sum', options);
}

export function metricJobsCompleted(options: MetricOptions = {}): Metric {
  return workerMetric(calculatorMetricNames.jobsCompleted, 'Sum', options);
}

export function metricJobSeconds(options: MetricOptions = {}): Metric {
  return workerMetric(calculatorMetricNames.jobSeconds, 'p90', options);
}

/** Running tasks of one ECS service (Container Insights, enabled on the cluster). */
export function metricRunningTasks(clusterName: string, serviceName: string, options: MetricOptions = {}): Metric {
  return new Metric({
    namespace: 'ECS/ContainerInsights',
    metricName: 'RunningTaskCount',
    dimensionsMap: { ClusterName: clusterName, ServiceName: serviceName },
    statistic: 'Average',
    period: Duration.minutes(1),
    ...options,
  });
}
