import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { calculatorMetrics } from '../../lib/calculation/calculator-metrics.ts';
import { runbooks } from '../../lib/observability/runbooks.ts';
import { repoRoot } from '../../lib/paths.ts';
import { prodContext, type Synthesized, synthFacet } from './synth.ts';

describe('observability stack', () => {
  let synth: Synthesized;
  let obs: Template;
  beforeAll(() => {
    synth = synthFacet();
    obs = synth.templates.observability;
  });

  const alarms = () => Object.values(obs.findResources('AWS::CloudWatch::Alarm'));

  it('alarm topic encrypted with a rotated key that CloudWatch may use', () => {
    obs.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
          }),
        ]),
      },
    });
    obs.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: Match.objectLike({ 'Fn::GetAtt': Match.anyValue() }),
    });
    obs.resourceCountIs('AWS::SNS::Subscription', 0);
    synthFacet({ alarmEmail: 'ops@facet-jewelry.com' }).templates.observability.hasResourceProperties(
      'AWS::SNS::Subscription',
      {
        Protocol: 'email',
        Endpoint: 'ops@facet-jewelry.com',
      },
    );
  });

  it('prod never synthesizes an alarm topic that notifies nobody', () => {
    expect(() => synthFacet({ stage: 'prod' })).toThrow(/alarms need a destination/);
    const prod = synthFacet(prodContext).templates.observability;
    prod.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: prodContext.alarmEmail });
  });

  it('every DLQ has a not-empty alarm', () => {
    const dlqAlarms = alarms().filter((a) => a.Properties.MetricName === 'ApproximateNumberOfMessagesVisible');
    // calculationJobs, every notifier queue, the SNS subscription delivery DLQ and the outbox's failure queue.
    expect(dlqAlarms).toHaveLength(synth.stacks.events.notifiers.length + 3);
    for (const alarm of dlqAlarms) {
      expect(alarm.Properties).toMatchObject({
        Threshold: 1,
        Statistic: 'Maximum',
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    }
  });

  it('alarms on the age of the oldest calculation job', () => {
    obs.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateAgeOfOldestMessage',
      Namespace: 'AWS/SQS',
      Threshold: 900,
    });
  });

  it('alarms on errors of every Lambda function', () => {
    const errorAlarms = alarms().filter(
      (a) => a.Properties.MetricName === 'Errors' && a.Properties.Namespace === 'AWS/Lambda',
    );
    // Both authorizers, every route, every notifier, and the outbox publisher.
    expect(errorAlarms).toHaveLength(3 + synth.stacks.api.routeFunctions.size + synth.stacks.events.notifiers.length);
  });

  it('alarms on worker errors (metric filter on ERROR lines) and on missing heartbeats while jobs are in flight', () => {
    obs.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: calculatorMetrics.namespace,
      MetricName: calculatorMetrics.workerErrors,
    });
    synth.templates.calculation.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ $.level = "ERROR" }',
      MetricTransformations: [Match.objectLike({ MetricNamespace: 'Facet/Calculator', MetricName: 'WorkerErrors' })],
    });
    obs.hasResourceProperties('AWS::CloudWatch::Alarm', {
      EvaluationPeriods: 2,
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: Match.stringLikeRegexp('inflight.*> 0 AND .*heartbeats.*== 0') }),
        Match.objectLike({
          Id: 'inflight',
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({ MetricName: 'ApproximateNumberOfMessagesNotVisible' }),
          }),
        }),
        Match.objectLike({
          Id: 'heartbeats',
          MetricStat: Match.objectLike({
            Metric: {
              Namespace: 'Facet/Calculator',
              MetricName: 'Heartbeat',
              Dimensions: [{ Name: 'service', Value: 'calculator' }],
            },
          }),
        }),
      ]),
    });
  });

  it('alarms on the outbox: events waiting too long in the stream, and batches the publisher gave up', () => {
    const runbookOf = (a: { Properties: { AlarmDescription: string } }) =>
      /Runbook: (\S+)/.exec(a.Properties.AlarmDescription)?.[1];
    const iteratorAge = alarms().filter((a) => a.Properties.MetricName === 'IteratorAge');
    expect(iteratorAge).toHaveLength(1);
    expect(iteratorAge[0]?.Properties).toMatchObject({
      Namespace: 'AWS/Lambda',
      Statistic: 'Maximum',
      Threshold: 120_000,
      EvaluationPeriods: 3,
    });
    expect(JSON.stringify(iteratorAge[0]?.Properties.Dimensions)).toContain('OutboxEventPublisherFunction');
    expect(runbookOf(iteratorAge[0] as never)).toBe(runbooks.outboxIteratorAge);
    const failures = alarms().filter((a) => runbookOf(a as never) === runbooks.outboxFailures);
    expect(failures).toHaveLength(1);
    expect(failures[0]?.Properties).toMatchObject({
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 1,
      Statistic: 'Maximum',
    });
    expect(JSON.stringify(failures[0]?.Properties.Dimensions)).toContain('OutboxFailures');
    const body = JSON.stringify(
      Object.values(obs.findResources('AWS::CloudWatch::Dashboard'))[0]?.Properties.DashboardBody,
    );
    expect(body).toContain('IteratorAge');
    expect(body).toContain('Outbox');
  });

  it('every alarm notifies the alarm topic on ALARM and OK and names a runbook that exists', () => {
    const all = alarms();
    expect(all.length).toBeGreaterThanOrEqual(10);
    const runbookFiles = new Set(Object.values(runbooks));
    for (const alarm of all) {
      expect(alarm.Properties.AlarmActions).toHaveLength(1);
      expect(alarm.Properties.OKActions).toHaveLength(1);
      const runbook = /Runbook: (\S+)/.exec(alarm.Properties.AlarmDescription)?.[1] ?? '';
      expect(runbookFiles.has(runbook as never), alarm.Properties.AlarmDescription).toBe(true);
      expect(existsSync(join(repoRoot, runbook)), runbook).toBe(true);
    }
  });

  it('has one dashboard showing API, functions, queues and the calculator', () => {
    obs.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    const body = JSON.stringify(
      Object.values(obs.findResources('AWS::CloudWatch::Dashboard'))[0]?.Properties.DashboardBody,
    );
    for (const metric of [
      '5XXError',
      'Errors',
      'ApproximateAgeOfOldestMessage',
      'RunningTaskCount',
      'Heartbeat',
      'WorkerErrors',
      'CPUUtilization',
    ]) {
      expect(body).toContain(metric);
    }
  });

  it('builds every metric through a metricX() helper: no Metric is constructed outside calculator-metrics.ts', () => {
    const dir = join(repoRoot, 'lib');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    const offenders = files.filter(
      (f) => !f.endsWith('calculator-metrics.ts') && /new Metric\(/.test(readFileSync(join(dir, f), 'utf8')),
    );
    expect(files.length).toBeGreaterThan(10);
    expect(offenders).toEqual([]);
  });
});
