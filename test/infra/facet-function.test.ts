import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { FacetFunction } from '../../lib/constructs/facet-function.ts';
import { testApp } from './synth.ts';

function build(invocation: 'api' | 'sqs' = 'api') {
  const stack = new Stack(testApp(), 'Fn');
  const fn = new FacetFunction(stack, 'GetOrder', {
    fn: 'GetOrder',
    entry: 'lambdas/clients/get-order.ts',
    environment: {
      TABLE_NAME: 'orders',
      BUCKET_NAME: 'models',
    },
    invocation,
    logRetention: RetentionDays.ONE_MONTH,
  });
  return { stack, fn, template: Template.fromStack(stack) };
}

describe('FacetFunction', () => {
  it('carries the house defaults: Node 22, ARM64, JSON logs, X-Ray, source maps, explicit log group with retention', () => {
    const { template } = build();
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 512,
      Timeout: 10,
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: {
        LogFormat: 'JSON',
        LogGroup: { Ref: Match.stringLikeRegexp('^GetOrderLogs') },
        ApplicationLogLevel: 'INFO',
      },
      Environment: {
        Variables: Match.objectLike({
          TABLE_NAME: 'orders',
          POWERTOOLS_SERVICE_NAME: 'clients',
          NODE_OPTIONS: '--enable-source-maps',
        }),
      },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    template.resourceCountIs('Custom::LogRetention', 0);
  });

  it('has its own role that may write only to its own log group (no AWS managed policy)', () => {
    const { template } = build();
    const role = Object.values(template.findResources('AWS::IAM::Role'))[0];
    expect(role?.Properties.ManagedPolicyArns).toBeUndefined();
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Effect: 'Allow',
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^GetOrderLogs'), 'Arn'] },
          },
        ]),
      },
    });
  });

  it('fails at synth when a literal value breaks the env contract', () => {
    const stack = new Stack(testApp(), 'Bad');
    expect(
      () =>
        new FacetFunction(stack, 'EmailNotifier', {
          fn: 'EmailNotifier',
          entry: 'lambdas/events/email-notifier.ts',
          environment: { TABLE_NAME: 't', BUCKET_NAME: 'b', MAIL_TRANSPORT: 'ses', MAIL_FROM: 'not-an-address' },
          invocation: 'sqs',
          logRetention: RetentionDays.ONE_WEEK,
        }),
    ).toThrow(/EmailNotifier.*MAIL_FROM/);
  });

  it('types the environment by the function: a missing variable does not compile', () => {
    const stack = new Stack(testApp(), 'Typed');
    expect(
      () =>
        new FacetFunction(stack, 'ClientsAuthorizer', {
          fn: 'ClientsAuthorizer',
          entry: 'lambdas/clients/authorizer.ts',
          // @ts-expect-error TABLE_NAME is required by clientsAuthorizerEnv
          environment: {},
          invocation: 'authorizer',
          logRetention: RetentionDays.ONE_WEEK,
        }),
    ).toThrow(/TABLE_NAME/);
  });
});
