import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Every cdk-nag finding we accept, with its reason, written once. Constructs call `acknowledge(scope, key)` on the
 * narrowest construct the finding belongs to (a role, a queue, a function), never on a stack or the app, so a new
 * resource with the same problem is reported again. Granular findings (`Rule[Finding]`) are acknowledged one by one.
 */
export const acknowledgements = {
  xrayTracing: {
    ids: ['AwsSolutions-IAM5[Resource::*]'],
    reason:
      'Active X-Ray tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level permissions.',
  },
  xrayTracingAndStreamList: {
    ids: ['AwsSolutions-IAM5[Resource::*]'],
    reason:
      'A DynamoDB stream consumer: active X-Ray tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, and its event source mapping dynamodb:ListStreams; none of the three supports resource-level permissions (the stream reads themselves name the stream ARN).',
  },
  nodeRuntimePinned: {
    ids: ['AwsSolutions-L1', 'Serverless-LambdaLatestVersion'],
    reason:
      'Pinned to Node.js 22, the runtime of the calculator container and the local cloud (DESIGN.md §4); all three move to the next LTS together.',
  },
  synchronousInvocation: {
    ids: ['Serverless-LambdaDLQ'],
    reason:
      'Invoked synchronously by API Gateway only: the caller receives the error (problem+json); a function DLQ only serves asynchronous invocations.',
  },
  sqsConsumerFailures: {
    ids: ['Serverless-LambdaDLQ'],
    reason:
      'Invoked only by its SQS event source mapping: failed records return to the queue (partial batch response) and move to the queue redrive DLQ after maxReceiveCount; a function DLQ only serves asynchronous invocations.',
  },
  streamConsumerFailures: {
    ids: ['Serverless-LambdaDLQ'],
    reason:
      'Invoked only by its DynamoDB stream event source mapping: a failing batch is retried (bisected, partial batch responses) and then described in the mapping’s on-failure SQS destination; a function DLQ only serves asynchronous invocations.',
  },
  streamFailureQueue: {
    ids: ['AwsSolutions-SQS3', 'Serverless-SQSRedrivePolicy'],
    reason:
      'This queue is the on-failure destination of the outbox stream mapping: it holds descriptions of stream batches given up (shard, sequence numbers), is a DLQ itself, and is alarmed on; its messages are read by an operator, never retried automatically.',
  },
  sqsEventSourceRedrive: {
    ids: ['Serverless-LambdaEventSourceMappingDestination'],
    reason:
      'On-failure destinations are for stream and Kafka sources; for an SQS source the queue redrive policy (maxReceiveCount from the wiring) moves failed records to the DLQ.',
  },
  deadLetterQueue: {
    ids: ['Serverless-SQSRedrivePolicy'],
    reason:
      'This queue is the dead-letter queue of a work queue; its messages are inspected and redriven by an operator (npm run dlq), never retried automatically.',
  },
  subscriptionDeadLetterQueue: {
    ids: ['AwsSolutions-SQS3', 'Serverless-SQSRedrivePolicy'],
    reason:
      'This queue is the redrive target of the SNS subscriptions (messages SNS could not deliver to a subscribed queue); it is a DLQ itself and is alarmed on.',
  },
  modelsObjectPrefix: {
    ids: [],
    reason:
      'Object keys are generated per tenant and order (tenants/{tenant}/orders/{order}/…); access is scoped to that prefix, the tenant is enforced by the handler from the authorizer context.',
  },
  apiGatewayLoggingRole: {
    ids: [
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
    ],
    reason:
      'The account-level API Gateway logging role uses the AWS policy made for it; it is assumable only by apigateway.amazonaws.com.',
  },
  noWebAcl: {
    ids: ['AwsSolutions-APIG3'],
    reason:
      'WAF is off for this stage (config api.waf, on in prod): a web ACL has a fixed monthly cost, and the B2B API already sits behind per-company API keys with usage-plan throttling and quotas.',
  },
  publicDocumentation: {
    ids: ['AwsSolutions-APIG4', 'AwsSolutions-COG4'],
    reason:
      'The public audience serves only the API description (/v1/openapi.json), its reference data and its docs page: static, no data, no tenant; like every public API reference it is readable without a key or sign-in (the stage throttle and WAF still apply).',
  },
  apiKeyAuthorizer: {
    ids: ['AwsSolutions-COG4'],
    reason:
      'The clients audience is B2B machine-to-machine: a Lambda REQUEST authorizer checks the company API key (hashed in DynamoDB); Cognito is for the shop and operators.',
  },
  cognitoTokenAuthorizer: {
    ids: ['AwsSolutions-COG4'],
    reason:
      'The operators audience is signed in with the Cognito user pool: a Lambda REQUEST authorizer verifies the pool ID token (aws-jwt-verify: signature, issuer, app client, expiry, token use) and also the operators/admins group, which a Cognito authorizer cannot check; the local cloud runs the same code.',
  },
  gatewayApiKeys: {
    ids: [],
    reason:
      'API Gateway key ids are generated when an admin issues a company key; the function may only PATCH keys (to disable a revoked one), and may create keys and add them to the one clients usage plan.',
  },
  siteDistributionDefaults: {
    ids: ['AwsSolutions-CFR1', 'AwsSolutions-CFR2', 'AwsSolutions-CFR4'],
    reason:
      'The operators site: staff sign in from workshops and while travelling, so no geo restriction; a CloudFront web ACL is a fixed monthly cost for a site whose static files are public by nature and whose /ops/* API sits behind the token authorizer and the regional WAF; it is served on the default *.cloudfront.net certificate (TLS 1.2+ negotiated by browsers) until a custom domain with its own certificate and minimum protocol version is configured.',
  },
  bucketDeployment: {
    ids: [
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      'AwsSolutions-IAM5[Action::s3:GetBucket*]',
      'AwsSolutions-IAM5[Action::s3:GetObject*]',
      'AwsSolutions-IAM5[Action::s3:List*]',
      'AwsSolutions-IAM5[Action::s3:Abort*]',
      'AwsSolutions-IAM5[Action::s3:DeleteObject*]',
      'AwsSolutions-IAM5[Resource::*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
      'AwsSolutions-L1',
      'Serverless-LambdaDLQ',
      'Serverless-LambdaLatestVersion',
      'Serverless-LambdaTracing',
    ],
    reason:
      'The CDK BucketDeployment custom resource copies the built site from the CDK asset bucket to the site bucket at deploy time only: its role, runtime and wildcard S3 actions are those of the CDK construct, scoped to the asset and site buckets, and it runs once per deploy under CloudFormation (which receives its errors).',
  },
  alarmEmailSubscription: {
    ids: ['Serverless-SNSRedrivePolicy'],
    reason:
      'The email subscription of the alarm topic: a DLQ would hold alarm notifications SNS could not email, and its own alarm could only notify through this same subscription; an alarm that is not delivered stays in ALARM on the dashboard.',
  },
  containerEnvironment: {
    ids: ['AwsSolutions-ECS2'],
    reason:
      'Environment holds resource names and tuning values only (typed by calculatorEnv); no secret is passed to the container.',
  },
  taskProtection: {
    ids: [],
    reason:
      'Task ARNs are only known at run time; the worker may set and read scale-in protection on tasks of its own cluster only.',
  },
  ecrAuthToken: {
    ids: ['AwsSolutions-IAM5[Resource::*]'],
    reason:
      'ecr:GetAuthorizationToken supports no resource-level permissions; image pulls are scoped to the asset repository.',
  },
} as const satisfies Record<string, { ids: readonly string[]; reason: string }>;

export type AcknowledgementKey = keyof typeof acknowledgements;

/** Applies the reasoned acknowledgements to one construct (and what it contains). */
export function acknowledge(scope: IConstruct, ...keys: AcknowledgementKey[]): void {
  for (const key of keys) {
    const { ids, reason } = acknowledgements[key];
    for (const id of ids) Validations.of(scope).acknowledge({ id, reason });
  }
}

/**
 * Acknowledges the AwsSolutions-IAM5 finding for one wildcard resource, computing the finding id exactly as
 * cdk-nag prints it (`Resource::<Logical.Attr>/prefix/*`), so the acknowledgement follows the resource's logical
 * id instead of a copied string. The reason still comes from the catalogue.
 */
export function acknowledgeWildcardResource(scope: IConstruct, key: AcknowledgementKey, resource: string): void {
  const { reason } = acknowledgements[key];
  const finding = flatten(Stack.of(scope).resolve(resource));
  Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::${finding}]`, reason });
}

/** The flattening cdk-nag documents for findings: Ref → <Id>, GetAtt → <Id.Attr>, Join concatenated. */
function flatten(node: unknown): string {
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/}/g, '>');
  if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (Array.isArray(o['Fn::Join'])) {
      const [delimiter, items] = o['Fn::Join'] as [string, unknown[]];
      return items.map(flatten).join(delimiter);
    }
    if (Array.isArray(o['Fn::GetAtt'])) {
      const [id, attr] = o['Fn::GetAtt'] as [unknown, unknown];
      return `<${flatten(id)}.${flatten(attr)}>`;
    }
    if ('Ref' in o) return `<${flatten(o.Ref)}>`;
    if ('Fn::Sub' in o) return flatten(o['Fn::Sub']);
    if ('Fn::ImportValue' in o) return flatten(o['Fn::ImportValue']);
  }
  return JSON.stringify(node);
}
