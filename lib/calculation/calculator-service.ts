import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { calculatorEnv } from '@facet/contracts/env';
import { Duration, IgnoreMode, Stack } from 'aws-cdk-lib';
import { AdjustmentType, MetricAggregationType } from 'aws-cdk-lib/aws-applicationautoscaling';
import { MathExpression } from 'aws-cdk-lib/aws-cloudwatch';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import {
  CfnClusterCapacityProviderAssociations,
  Cluster,
  ContainerImage,
  ContainerInsights,
  CpuArchitecture,
  FargateService,
  FargateTaskDefinition,
  LinuxParameters,
  LogDrivers,
  OperatingSystemFamily,
  type ScalableTaskCount,
} from 'aws-cdk-lib/aws-ecs';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { FilterPattern, LogGroup, MetricFilter, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { z } from 'zod';
import { acknowledge, acknowledgeWildcardResource } from '../nag.ts';
import { repoRoot } from '../paths.ts';
import { calculatorMetrics, metricRunningTasks } from './calculator-metrics.ts';
import type { WorkerNetwork } from './worker-network.ts';

export const calculatorDockerfile = 'containers/calculator/Dockerfile';
export const calculatorDockerignore = 'containers/calculator/Dockerfile.dockerignore';
/** Fargate sends SIGKILL this long after SIGTERM; the worker drains or releases its job within it. */
export const stopTimeout = Duration.seconds(120);

/** The task's architecture and the image platform that must match it (an arm64 image on x86 fails at exec). */
export const platforms = {
  arm64: { cpuArchitecture: CpuArchitecture.ARM64, image: Platform.LINUX_ARM64 },
  x86_64: { cpuArchitecture: CpuArchitecture.X86_64, image: Platform.LINUX_AMD64 },
} as const;
export type WorkerArchitecture = keyof typeof platforms;

export interface WorkerScaling {
  readonly minTasks: number;
  readonly maxTasks: number;
  readonly spot: boolean;
  readonly scaleOutBacklogPerTask: number;
  readonly burstBacklogPerTask: number;
}

export interface CalculatorServiceProps {
  readonly network: WorkerNetwork;
  readonly jobs: IQueue;
  /** Typed by the container's zod contract; defaults may be omitted. */
  readonly environment: z.input<typeof calculatorEnv>;
  readonly cpu: number;
  readonly memoryMiB: number;
  readonly cpuArchitecture: WorkerArchitecture;
  readonly scaling: WorkerScaling;
  readonly logRetention: RetentionDays;
}

/**
 * The calculator worker on Fargate (ARM64 or x86_64, the image built for the same platform): image built from containers/calculator/Dockerfile at deploy time
 * (synth only stages the context), stop timeout 120 s, JSON logs with retention, an ERROR-count metric filter,
 * and step scaling on jobs waiting per running task between a configurable floor and ceiling, optionally on
 * FARGATE_SPOT above the floor. Scale-in only stops tasks without ECS task scale-in protection, which the worker
 * holds while a job runs.
 */
export class CalculatorService extends Construct {
  public readonly cluster: Cluster;
  public readonly capacityProviders: CfnClusterCapacityProviderAssociations;
  public readonly taskDefinition: FargateTaskDefinition;
  public readonly service: FargateService;
  public readonly logGroup: LogGroup;
  public readonly workerErrors: MetricFilter;
  public readonly scaling: ScalableTaskCount;
  /** Jobs waiting per running task; what the scaling steps act on. */
  public readonly backlogPerTask: MathExpression;

  constructor(scope: Construct, id: string, props: CalculatorServiceProps) {
    super(scope, id);
    const environment = validatedEnvironment(props.environment);

    this.cluster = new Cluster(this, 'Cluster', {
      vpc: props.network.vpc,
      containerInsightsV2: ContainerInsights.ENABLED,
    });
    // Declared here (not via enableFargateCapacityProviders, which adds it late through an aspect) so the service
    // can depend on it: a service whose strategy names a provider not yet associated fails to create.
    this.capacityProviders = new CfnClusterCapacityProviderAssociations(this, 'CapacityProviders', {
      cluster: this.cluster.clusterName,
      capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
      defaultCapacityProviderStrategy: [],
    });

    this.logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention });
    this.workerErrors = new MetricFilter(this, 'ErrorLines', {
      logGroup: this.logGroup,
      filterPattern: FilterPattern.stringValue('$.level', '=', 'ERROR'),
      metricNamespace: calculatorMetrics.namespace,
      metricName: calculatorMetrics.workerErrors,
      metricValue: '1',
    });

    this.taskDefinition = new FargateTaskDefinition(this, 'Task', {
      cpu: props.cpu,
      memoryLimitMiB: props.memoryMiB,
      runtimePlatform: {
        cpuArchitecture: platforms[props.cpuArchitecture].cpuArchitecture,
        operatingSystemFamily: OperatingSystemFamily.LINUX,
      },
    });
    this.taskDefinition.addContainer('calculator', {
      image: ContainerImage.fromAsset(repoRoot, {
        file: calculatorDockerfile,
        platform: platforms[props.cpuArchitecture].image,
        ignoreMode: IgnoreMode.DOCKER,
        exclude: dockerignorePatterns(),
      }),
      environment: {
        ...environment,
        POWERTOOLS_SERVICE_NAME: calculatorMetrics.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: calculatorMetrics.namespace,
        NODE_OPTIONS: '--enable-source-maps',
      },
      logging: LogDrivers.awsLogs({ logGroup: this.logGroup, streamPrefix: 'calculator' }),
      stopTimeout,
      essential: true,
      // An init process as PID 1 forwards SIGTERM to node and reaps children.
      linuxParameters: new LinuxParameters(this, 'Linux', { initProcessEnabled: true }),
    });
    acknowledge(this.taskDefinition, 'containerEnvironment');
    const executionRole = this.taskDefinition.obtainExecutionRole();
    acknowledge(executionRole, 'ecrAuthToken');

    const { spot, minTasks, maxTasks } = props.scaling;
    if (spot && props.cpuArchitecture !== 'x86_64') {
      // ECS would accept the service and then never place a task on FARGATE_SPOT (x86_64 Linux only).
      throw new Error('FARGATE_SPOT runs only X86_64 Linux tasks: use cpuArchitecture x86_64 with spot');
    }
    this.service = new FargateService(this, 'Service', {
      cluster: this.cluster,
      taskDefinition: this.taskDefinition,
      assignPublicIp: true,
      vpcSubnets: { subnets: props.network.vpc.publicSubnets },
      securityGroups: [props.network.securityGroup],
      // A queue worker serves no traffic: replace tasks one batch at a time, never below the running count.
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { rollback: true },
      capacityProviderStrategies: spot
        ? [
            { capacityProvider: 'FARGATE', base: minTasks, weight: 0 },
            { capacityProvider: 'FARGATE_SPOT', weight: 1 },
          ]
        : [{ capacityProvider: 'FARGATE', weight: 1 }],
    });
    this.service.node.addDependency(this.capacityProviders);
    props.jobs.grantConsumeMessages(this.taskDefinition.taskRole);
    // Task scale-in protection through the agent endpoint ($ECS_AGENT_URI) runs with the task role.
    const ownTasks = Stack.of(this).formatArn({
      service: 'ecs',
      resource: 'task',
      resourceName: `${this.cluster.clusterName}/*`,
    });
    this.taskDefinition.taskRole.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['ecs:UpdateTaskProtection', 'ecs:GetTaskProtection'], resources: [ownTasks] }),
    );
    acknowledgeWildcardResource(this.taskDefinition.taskRole, 'taskProtection', ownTasks);

    this.backlogPerTask = new MathExpression({
      expression: 'visible / MAX([FILL(running, 0), 1])',
      usingMetrics: {
        visible: props.jobs.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(1),
          statistic: 'Maximum',
        }),
        running: metricRunningTasks(this.cluster.clusterName, this.service.serviceName),
      },
      label: 'Jobs waiting per running task',
      period: Duration.minutes(1),
    });
    this.scaling = this.service.autoScaleTaskCount({ minCapacity: minTasks, maxCapacity: maxTasks });
    this.scaling.scaleOnMetric('BacklogPerTask', {
      metric: this.backlogPerTask,
      adjustmentType: AdjustmentType.CHANGE_IN_CAPACITY,
      metricAggregationType: MetricAggregationType.MAXIMUM,
      cooldown: Duration.minutes(1),
      evaluationPeriods: 1,
      scalingSteps: [
        // Nothing waiting: give back one task per step; busy tasks are scale-in protected and finish first.
        { upper: 0, change: -1 },
        { lower: props.scaling.scaleOutBacklogPerTask, change: +1 },
        { lower: props.scaling.burstBacklogPerTask, change: +3 },
      ],
    });
  }
}

function validatedEnvironment(input: z.input<typeof calculatorEnv>): Record<string, string> {
  const environment = Object.fromEntries(
    Object.entries(input)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, String(v)]),
  );
  const parsed = calculatorEnv.safeParse(environment);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Calculator environment does not satisfy calculatorEnv: ${issues}`);
  }
  return environment;
}

/** The Dockerfile's own ignore file also filters what CDK stages as the build context (an allow-list). */
function dockerignorePatterns(): string[] {
  return readFileSync(join(repoRoot, calculatorDockerignore), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}
