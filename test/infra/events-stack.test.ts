import { WEBHOOK_EVENT_TYPES } from '@facet/contracts/webhooks';
import { queues, streams, tables } from '@facet/wiring';
import { lambdaQueueNames } from '@facet/wiring/views';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxRecordAge, outboxDeadLetterName } from '../../lib/events/outbox-publisher.ts';
import { synthFacet } from './synth.ts';
import { actionsOf, managedPoliciesOfRole, roleOfFunction, statementsOfRole, tagged } from './template-helpers.ts';

describe('events stack', () => {
  let events: Template;
  beforeAll(() => {
    events = synthFacet().templates.events;
  });

  it('encrypts the order-events topic and denies publishing without TLS', () => {
    events.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([':alias/aws/sns'])] }),
    });
    events.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it.each(lambdaQueueNames)('%s: queue + DLQ from the wiring, DLQ keeps messages longer than the source', (name) => {
    const decl = queues[name];
    const [dlqId, dlq] = tagged(events, 'AWS::SQS::Queue', 'facet:dead-letter-of', name);
    const [, queue] = tagged(events, 'AWS::SQS::Queue', 'facet:queue', name);
    expect(queue.Properties.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] },
      maxReceiveCount: decl.maxReceiveCount,
    });
    expect(queue.Properties.VisibilityTimeout).toBe(decl.visibilityTimeoutSeconds);
    expect(dlq.Properties.MessageRetentionPeriod).toBeGreaterThan(queue.Properties.MessageRetentionPeriod);
    expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
    expect(dlq.Properties.SqsManagedSseEnabled).toBe(true);
  });

  it.each(lambdaQueueNames)(
    '%s: consumer reads with partial batch responses and finishes within the visibility',
    (name) => {
      const decl = queues[name];
      const consumer = decl.consumer;
      const [queueId] = tagged(events, 'AWS::SQS::Queue', 'facet:queue', name);
      const [fnId, fn] = tagged(events, 'AWS::Lambda::Function', 'facet:fn', consumer.fn);
      events.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
        FunctionName: { Ref: fnId },
        BatchSize: consumer.batchSize,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
      expect(fn.Properties.Timeout * 6).toBeLessThanOrEqual(decl.visibilityTimeoutSeconds);
    },
  );

  it('every queue SNS delivers to uses SSE-SQS (SNS cannot use the AWS-managed SQS KMS key: it would drop every event)', () => {
    const all = synthFacet();
    for (const template of [all.templates.events, all.templates.calculation]) {
      const queues = template.findResources('AWS::SQS::Queue');
      const endpoints = Object.values(template.findResources('AWS::SNS::Subscription')).map(
        (sub) => sub.Properties.Endpoint['Fn::GetAtt'][0] as string,
      );
      expect(endpoints.length).toBeGreaterThan(0);
      for (const id of endpoints) {
        expect(queues[id]?.Properties.SqsManagedSseEnabled, id).toBe(true);
        expect(queues[id]?.Properties.KmsMasterKeyId, id).toBeUndefined();
      }
    }
  });

  it('subscriptions send what SNS cannot deliver to a DLQ', () => {
    const [dlqId] =
      Object.entries(events.findResources('AWS::SQS::Queue')).find(([id]) => id.startsWith('DeliveryFailures')) ?? [];
    expect(dlqId).toBeDefined();
    const subs = Object.values(events.findResources('AWS::SNS::Subscription'));
    expect(subs.length).toBeGreaterThan(0);
    for (const sub of subs) {
      expect(sub.Properties.RedrivePolicy).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] } });
    }
  });

  it('the email notifier may send as mailFrom (address or domain identity) only, and touch nothing but its data', () => {
    const [, fn] = tagged(events, 'AWS::Lambda::Function', 'facet:fn', 'EmailNotifier');
    const roleId = roleOfFunction(fn);
    const statements = statementsOfRole(events, roleId);
    expect(actionsOf(statements)).toEqual([
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'ses:SendEmail',
      'sqs:ChangeMessageVisibility',
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:ReceiveMessage',
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);
    const ses = statements.filter((s) => [s.Action].flat().includes('ses:SendEmail'));
    expect(ses).toHaveLength(1);
    // SES authorizes against the identity it sends as: the address when it is verified, else its domain.
    const identities = [ses[0]?.Resource]
      .flat()
      .map((r) => JSON.stringify(r).match(/:identity\/([^"]+)"/)?.[1])
      .sort();
    expect(identities).toEqual(['facet-jewelry.com', 'orders@facet-jewelry.com']);
    const managed = managedPoliciesOfRole(events, roleId).join(' ');
    expect(managed).toContain('AccessTableReadWrite');
    expect(managed).toContain('AccessModelsRead');
    expect(managed).not.toContain('AccessModelsWrite');
  });

  it('the webhook notifier sends only to its own queue, gets the events a company may see, and touches no models', () => {
    const [queueId] = tagged(events, 'AWS::SQS::Queue', 'facet:queue', 'webhookNotifications');
    const [, fn] = tagged(events, 'AWS::Lambda::Function', 'facet:fn', 'WebhookNotifier');
    const roleId = roleOfFunction(fn);
    const statements = statementsOfRole(events, roleId);
    expect(actionsOf(statements)).not.toContain('ses:SendEmail');
    const send = statements.filter((s) => [s.Action].flat().includes('sqs:SendMessage'));
    expect(send.map((s) => s.Resource)).toEqual([{ 'Fn::GetAtt': [queueId, 'Arn'] }]);
    expect(fn.Properties.Environment.Variables.WEBHOOK_QUEUE_URL).toEqual({ Ref: queueId });
    expect(fn.Properties.Environment.Variables.WEBHOOK_ALLOW_PRIVATE_TARGETS).toBeUndefined();
    const managed = managedPoliciesOfRole(events, roleId).join(' ');
    expect(managed).toContain('AccessTableReadWrite');
    expect(managed).not.toContain('AccessModels');
    const subscription = Object.values(events.findResources('AWS::SNS::Subscription')).find((sub) =>
      JSON.stringify(sub.Properties.Endpoint).includes(queueId),
    );
    // Internal events (progress, weighing, trees) never reach a company's endpoint.
    expect(subscription?.Properties.FilterPolicy).toEqual({ type: [...WEBHOOK_EVENT_TYPES] });
    expect(subscription?.Properties.RawMessageDelivery).toBe(true);
  });

  it('notifier functions carry the house defaults', () => {
    const [, fn] = tagged(events, 'AWS::Lambda::Function', 'facet:fn', 'EmailNotifier');
    expect(fn.Properties).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: { LogFormat: 'JSON' },
      Environment: { Variables: { MAIL_TRANSPORT: 'ses', MAIL_FROM: 'orders@facet-jewelry.com' } },
    });
  });

  describe('the outbox publisher (table stream → order-events topic)', () => {
    const outbox = streams.outbox;
    const mapping = () => {
      const [fnId] = tagged(events, 'AWS::Lambda::Function', 'facet:fn', outbox.consumer.fn);
      const found = Object.values(events.findResources('AWS::Lambda::EventSourceMapping')).filter(
        (m) => m.Properties.FunctionName.Ref === fnId,
      );
      expect(found).toHaveLength(1);
      return found[0]?.Properties ?? {};
    };

    it('reads the main table’s stream: only new event items, in order per shard, bisected and retried as declared', () => {
      expect(outbox.table).toBe('main');
      expect(tables.main.stream).toBe('NEW_IMAGE');
      const props = mapping();
      expect(JSON.stringify(props.EventSourceArn)).toMatch(/Facet-dev-Data:.*MainTable.*StreamArn/);
      expect(props).toMatchObject({
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: outbox.consumer.batchSize,
        MaximumRetryAttempts: outbox.consumer.retryAttempts,
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ParallelizationFactor: 1,
        MaximumRecordAgeInSeconds: maxRecordAge.toSeconds(),
      });
      expect(props.FilterCriteria.Filters).toHaveLength(1);
      expect(JSON.parse(props.FilterCriteria.Filters[0].Pattern)).toEqual({
        eventName: ['INSERT'],
        dynamodb: { NewImage: { sk: { S: [{ prefix: outbox.sortKeyPrefix }] } } },
      });
      // Lambda's range is 60 s to 7 days, but a stream keeps records 24 h: give up while they can still be read.
      expect(maxRecordAge.toHours()).toBeLessThan(24);
      expect(maxRecordAge.toSeconds()).toBeGreaterThanOrEqual(60);
    });

    it('sends what it gives up to an encrypted, TLS-only failure queue tagged as a DLQ', () => {
      const [queueId, queue] = tagged(events, 'AWS::SQS::Queue', 'facet:dead-letter-of', outboxDeadLetterName);
      expect(mapping().DestinationConfig).toEqual({ OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } });
      expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
      expect(queue.Properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
      events.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queueId }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });

    it('may publish to the topic and read the stream, nothing else; its environment is its contract', () => {
      const [topicId] = tagged(events, 'AWS::SNS::Topic', 'facet:topic', 'orderEvents');
      const [queueId] = tagged(events, 'AWS::SQS::Queue', 'facet:dead-letter-of', outboxDeadLetterName);
      const [, fn] = tagged(events, 'AWS::Lambda::Function', 'facet:fn', outbox.consumer.fn);
      const roleId = roleOfFunction(fn);
      const statements = statementsOfRole(events, roleId);
      expect(actionsOf(statements)).toEqual([
        'dynamodb:DescribeStream',
        'dynamodb:GetRecords',
        'dynamodb:GetShardIterator',
        'dynamodb:ListStreams',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'sns:Publish',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:SendMessage',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ]);
      const on = (action: string) =>
        statements.filter((s) => [s.Action].flat().includes(action)).map((s) => s.Resource);
      expect(on('sns:Publish')).toEqual([{ Ref: topicId }]);
      expect(on('sqs:SendMessage')).toEqual([{ 'Fn::GetAtt': [queueId, 'Arn'] }]);
      expect(JSON.stringify(on('dynamodb:GetRecords'))).toMatch(/StreamArn/);
      // No table or bucket access at all: it publishes what the stream carries.
      expect(managedPoliciesOfRole(events, roleId)).toEqual([]);
      const variables = Object.keys(fn.Properties.Environment.Variables).filter(
        (v) => !/^(POWERTOOLS_|NODE_OPTIONS)/.test(v),
      );
      expect(variables).toEqual(['EVENTS_TOPIC_ARN']);
      expect(fn.Properties.Environment.Variables.EVENTS_TOPIC_ARN).toEqual({ Ref: topicId });
    });
  });
});
