import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { calculatorEnv } from '@facet/contracts/env';
import { queues, subscriptions } from '@facet/wiring';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { prodContext, type Synthesized, synthFacet } from './synth.ts';
import { actionsOf, statementsOfRole, tagged } from './template-helpers.ts';

const jobs = queues.calculationJobs;

/** The Docker image assets the calculation stack stages (one: the calculator). */
function imageAssets(synth: Synthesized): { source: Record<string, string> }[] {
  const assembly = synth.app.synth();
  const file = join(assembly.directory, `${synth.stacks.calculation.stackName}.assets.json`);
  return Object.values(JSON.parse(readFileSync(file, 'utf8')).dockerImages);
}

const imagePlatforms = (synth: Synthesized) => imageAssets(synth).map((i) => i.source.platform);

describe('calculation stack', () => {
  let calc: Template;
  beforeAll(() => {
    calc = synthFacet().templates.calculation;
  });

  it('jobs arrive as order.queued events: an SNS subscription with its filter, and a queue policy for that topic only', () => {
    const [queueId] = tagged(calc, 'AWS::SQS::Queue', 'facet:queue', 'calculationJobs');
    const subscription = subscriptions.find((s) => s.queue === 'calculationJobs');
    expect(subscription).toMatchObject({ topic: 'orderEvents', eventTypes: ['order.queued'] });
    const topic = { 'Fn::ImportValue': Match.stringLikeRegexp('^Facet-dev-Events:.*OrderEventsTopic') };
    calc.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sqs',
      Endpoint: { 'Fn::GetAtt': [queueId, 'Arn'] },
      TopicArn: topic,
      FilterPolicy: { type: ['order.queued'] },
      RawMessageDelivery: true,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::ImportValue': Match.stringLikeRegexp('DeliveryFailures') } },
    });
    // SNS may send to the jobs queue only on behalf of the order-events topic; nothing else may send to it.
    calc.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Action: 'sqs:SendMessage',
            Principal: { Service: 'sns.amazonaws.com' },
            Resource: { 'Fn::GetAtt': [queueId, 'Arn'] },
            Condition: { ArnEquals: { 'aws:SourceArn': topic } },
          }),
        ]),
      },
    });
    const senders = Object.values(calc.findResources('AWS::IAM::Policy')).flatMap((p) =>
      (p.Properties.PolicyDocument.Statement as { Action: string | string[] }[]).filter((s) =>
        [s.Action].flat().includes('sqs:SendMessage'),
      ),
    );
    expect(senders).toEqual([]);
  });

  it('jobs queue: visibility from the wiring (above the worker heartbeat), DLQ after 3 receives, DLQ retains longer', () => {
    const [dlqId, dlq] = tagged(calc, 'AWS::SQS::Queue', 'facet:dead-letter-of', 'calculationJobs');
    const [, queue] = tagged(calc, 'AWS::SQS::Queue', 'facet:queue', 'calculationJobs');
    expect(jobs.maxReceiveCount).toBe(3);
    expect(queue.Properties.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] },
      maxReceiveCount: 3,
    });
    expect(queue.Properties.VisibilityTimeout).toBe(jobs.visibilityTimeoutSeconds);
    // The worker heartbeats well inside the visibility; 60 s leaves room for a heartbeat every 20–30 s.
    expect(queue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(60);
    expect(dlq.Properties.MessageRetentionPeriod).toBeGreaterThan(queue.Properties.MessageRetentionPeriod);
  });

  it('network: public subnets only, no NAT gateway, no VPC endpoints, no inbound rule, outbound HTTPS only', () => {
    calc.resourceCountIs('AWS::EC2::NatGateway', 0);
    calc.resourceCountIs('AWS::EC2::VPCEndpoint', 0);
    calc.resourceCountIs('AWS::EC2::EIP', 0);
    const subnets = Object.values(calc.findResources('AWS::EC2::Subnet'));
    expect(subnets.length).toBeGreaterThan(0);
    for (const subnet of subnets) expect(subnet.Properties.MapPublicIpOnLaunch).toBe(true);
    calc.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
    const groups = Object.values(calc.findResources('AWS::EC2::SecurityGroup'));
    expect(groups).toHaveLength(1);
    expect(groups[0]?.Properties.SecurityGroupIngress).toBeUndefined();
    expect(groups[0]?.Properties.SecurityGroupEgress).toEqual([
      expect.objectContaining({ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 }),
    ]);
    calc.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'REJECT' });
  });

  it('task: ARM64, 120 s stop timeout, init process, JSON logs with retention, env = calculatorEnv', () => {
    calc.hasResourceProperties('AWS::ECS::TaskDefinition', {
      RequiresCompatibilities: ['FARGATE'],
      RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' },
      ContainerDefinitions: [
        Match.objectLike({
          StopTimeout: 120,
          LinuxParameters: { InitProcessEnabled: true },
          LogConfiguration: Match.objectLike({ LogDriver: 'awslogs' }),
        }),
      ],
    });
    const [task] = Object.values(calc.findResources('AWS::ECS::TaskDefinition'));
    const environment: { Name: string; Value: string }[] = task?.Properties.ContainerDefinitions[0].Environment ?? [];
    const names = environment.map((e) => e.Name);
    const shape = calculatorEnv.shape as Record<string, { safeParse: (v: unknown) => { success: boolean } }>;
    const required = Object.keys(shape).filter((key) => !shape[key]?.safeParse(undefined).success);
    expect(required.length).toBeGreaterThan(0);
    for (const key of required) expect(names).toContain(key);
    for (const name of names)
      expect([
        ...Object.keys(shape),
        'POWERTOOLS_SERVICE_NAME',
        'POWERTOOLS_METRICS_NAMESPACE',
        'NODE_OPTIONS',
      ]).toContain(name);
    // Fargate's maximum stop timeout is 120 s (also the Spot interruption notice); the worker releases its job
    // before then, with time left to write the release.
    const stopTimeout = task?.Properties.ContainerDefinitions[0].StopTimeout as number;
    const grace = Number(environment.find((e) => e.Name === 'STOP_GRACE_SECONDS')?.Value);
    expect(stopTimeout).toBeLessThanOrEqual(120);
    expect(grace).toBeLessThanOrEqual(stopTimeout - 15);
    const logGroups = Object.values(calc.findResources('AWS::Logs::LogGroup'));
    for (const group of logGroups) expect(group.Properties.RetentionInDays).toBeGreaterThan(0);
  });

  it('service: public IP, circuit breaker, on-demand FARGATE by default (ARM64 cannot run on FARGATE_SPOT)', () => {
    calc.hasResourceProperties('AWS::ECS::Service', {
      NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'ENABLED' }) },
      DeploymentConfiguration: Match.objectLike({ DeploymentCircuitBreaker: { Enable: true, Rollback: true } }),
      CapacityProviderStrategy: [{ CapacityProvider: 'FARGATE', Weight: 1 }],
    });
    calc.hasResourceProperties('AWS::ECS::Cluster', {
      ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
    });
    // The service is created only after FARGATE and FARGATE_SPOT are associated with the cluster.
    const [associationId] = Object.keys(
      calc.findResources('AWS::ECS::ClusterCapacityProviderAssociations', {
        Properties: { CapacityProviders: ['FARGATE', 'FARGATE_SPOT'] },
      }),
    );
    expect(associationId).toBeDefined();
    calc.hasResource('AWS::ECS::Service', { DependsOn: Match.arrayWith([associationId]) });
  });

  it('spot on: an x86_64 task and image, FARGATE_SPOT above an on-demand floor', () => {
    const spot = synthFacet({ 'worker.cpuArchitecture': 'x86_64', 'worker.spot': 'true', 'worker.minTasks': '1' });
    const t = spot.templates.calculation;
    t.hasResourceProperties('AWS::ECS::Service', {
      CapacityProviderStrategy: [
        { CapacityProvider: 'FARGATE', Base: 1, Weight: 0 },
        { CapacityProvider: 'FARGATE_SPOT', Weight: 1 },
      ],
    });
    t.hasResourceProperties('AWS::ECS::TaskDefinition', {
      RuntimePlatform: { CpuArchitecture: 'X86_64', OperatingSystemFamily: 'LINUX' },
    });
    expect(imagePlatforms(spot)).toEqual(['linux/amd64']);
  });

  it('never synthesizes an ARM64 task for FARGATE_SPOT, whatever the config says', () => {
    // Every service that names FARGATE_SPOT runs an X86_64 task definition (ECS would never place its tasks).
    for (const context of [{}, { 'worker.cpuArchitecture': 'x86_64', 'worker.spot': 'true' }, prodContext]) {
      const t = synthFacet(context).templates.calculation;
      const [service] = Object.values(t.findResources('AWS::ECS::Service'));
      const [task] = Object.values(t.findResources('AWS::ECS::TaskDefinition'));
      const strategy: { CapacityProvider: string }[] = service?.Properties.CapacityProviderStrategy ?? [];
      const providers = strategy.map((s) => s.CapacityProvider);
      if (providers.includes('FARGATE_SPOT')) expect(task?.Properties.RuntimePlatform.CpuArchitecture).toBe('X86_64');
    }
    expect(() => synthFacet({ 'worker.spot': 'true' })).toThrow(/X86_64/);
    expect(() => synthFacet({ 'worker.spot': 'true', 'worker.cpuArchitecture': 'arm64' })).toThrow(/X86_64/);
  });

  it('scales on jobs waiting per running task between the configured floor and ceiling', () => {
    const custom = synthFacet({ 'worker.minTasks': '2', 'worker.maxTasks': '9', 'worker.burstBacklogPerTask': '6' });
    const t = custom.templates.calculation;
    t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: 2,
      MaxCapacity: 9,
      ScalableDimension: 'ecs:service:DesiredCount',
    });
    t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'StepScaling',
      StepScalingPolicyConfiguration: Match.objectLike({
        AdjustmentType: 'ChangeInCapacity',
        StepAdjustments: [
          { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 5, ScalingAdjustment: 1 },
          { MetricIntervalLowerBound: 5, ScalingAdjustment: 3 },
        ],
      }),
    });
    t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      StepScalingPolicyConfiguration: Match.objectLike({
        StepAdjustments: [{ MetricIntervalUpperBound: 0, ScalingAdjustment: -1 }],
      }),
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'visible / MAX([FILL(running, 0), 1])' }),
        Match.objectLike({
          Id: 'visible',
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({ MetricName: 'ApproximateNumberOfMessagesVisible' }),
          }),
        }),
        Match.objectLike({
          Id: 'running',
          MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'RunningTaskCount' }) }),
        }),
      ]),
    });
    expect(() => synthFacet({ 'worker.minTasks': '5', 'worker.maxTasks': '2' })).toThrow(/minTasks/);
  });

  it('task role: consumes the jobs queue, protects its own tasks — nothing more (its events go out through the outbox)', () => {
    const roles = calc.findResources('AWS::IAM::Role', {
      Properties: {
        AssumeRolePolicyDocument: {
          Statement: [Match.objectLike({ Principal: { Service: 'ecs-tasks.amazonaws.com' } })],
        },
      },
    });
    const taskDef = Object.values(calc.findResources('AWS::ECS::TaskDefinition'))[0];
    const taskRoleId = taskDef?.Properties.TaskRoleArn['Fn::GetAtt'][0] as string;
    expect(Object.keys(roles)).toContain(taskRoleId);
    const statements = statementsOfRole(calc, taskRoleId);
    expect(actionsOf(statements)).toEqual([
      'ecs:GetTaskProtection',
      'ecs:UpdateTaskProtection',
      'sqs:ChangeMessageVisibility',
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:ReceiveMessage',
    ]);
    const protection = statements.find((s) => [s.Action].flat().includes('ecs:UpdateTaskProtection'));
    expect(JSON.stringify(protection?.Resource)).toMatch(/:task\/.*Cluster.*\/\*/);
    const managed = JSON.stringify(calc.findResources('AWS::IAM::Role')[taskRoleId]?.Properties.ManagedPolicyArns);
    expect(managed).toContain('AccessTableReadWrite');
    expect(managed).toContain('AccessModelsRead');
    expect(managed).toContain('AccessModelsWrite');
  });

  it('builds the image from containers/calculator/Dockerfile for the task architecture (synth only stages it)', () => {
    const custom = synthFacet();
    const assembly = custom.app.synth();
    const images = imageAssets(custom);
    expect(images).toHaveLength(1);
    expect(images[0]?.source).toMatchObject({
      dockerFile: 'containers/calculator/Dockerfile',
      platform: 'linux/arm64',
    });
    calc.hasResourceProperties('AWS::ECS::TaskDefinition', { RuntimePlatform: { CpuArchitecture: 'ARM64' } });
    // The staged context is the allow-list: no node_modules, no lambdas.
    const staged = join(assembly.directory, images[0]?.source.directory ?? '');
    expect(existsSync(join(staged, 'containers/calculator/Dockerfile'))).toBe(true);
    expect(existsSync(join(staged, 'package-lock.json'))).toBe(true);
    expect(existsSync(join(staged, 'node_modules'))).toBe(false);
    expect(existsSync(join(staged, 'lambdas'))).toBe(false);
  });
});
