/** Custom metric names, shared by the code that emits them and the CDK that alarms on them. */
export const calculatorMetricNames = {
  namespace: 'Facet/Calculator',
  serviceName: 'calculator',
  /** One per visibility heartbeat while a job runs. */
  heartbeat: 'Heartbeat',
  jobsCompleted: 'JobsCompleted',
  jobSeconds: 'JobSeconds',
} as const;
