import { Duration } from 'aws-cdk-lib';
import { Metric, type MetricOptions } from 'aws-cdk-lib/aws-cloudwatch';

/**
 * The calculator's custom metrics, named once. The worker publishes them as Powertools/EMF metrics on stdout
 * (the awslogs driver ships them; CloudWatch extracts EMF from PutLogEvents): namespace `Facet/Calculator`,
 * dimension `service` = POWERTOOLS_SERVICE_NAME (`calculator`), one `Heartbeat` (Count) per visibility
 * heartbeat while a job runs. `WorkerErrors` is not emitted by code: a metric filter counts ERROR log lines.
 */
export const calculatorMetrics = {
  namespace: 'Facet/Calculator',
  serviceName: 'calculator',
  heartbeat: 'Heartbeat',
  workerErrors: 'WorkerErrors',
} as const;

export function metricHeartbeats(options: MetricOptions = {}): Metric {
  return new Metric({
    namespace: calculatorMetrics.namespace,
    metricName: calculatorMetrics.heartbeat,
    dimensionsMap: { service: calculatorMetrics.serviceName },
    statistic: 'Sum',
    period: Duration.minutes(5),
    ...options,
  });
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
