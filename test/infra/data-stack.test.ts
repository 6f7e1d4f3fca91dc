import { buckets, tables } from '@facet/wiring';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { normalizedTemplate } from './normalize.ts';
import { prodContext, synthFacet } from './synth.ts';

describe('data stack', () => {
  let data: Template;
  let prod: Template;
  beforeAll(() => {
    data = synthFacet().templates.data;
    prod = synthFacet(prodContext).templates.data;
  });

  it('builds the single table from tables.main: on demand, PITR, encrypted, TTL, stream, GSI', () => {
    const decl = tables.main;
    data.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: decl.partitionKey, KeyType: 'HASH' },
        { AttributeName: decl.sortKey, KeyType: 'RANGE' },
      ],
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      TimeToLiveSpecification: { AttributeName: decl.ttlAttribute, Enabled: true },
      // The outbox's stream, as declared (the publisher needs the new image of each event item).
      StreamSpecification: { StreamViewType: decl.stream },
      GlobalSecondaryIndexes: decl.indexes.map((i) =>
        Match.objectLike({
          IndexName: i.name,
          KeySchema: [
            { AttributeName: i.partitionKey, KeyType: 'HASH' },
            { AttributeName: i.sortKey, KeyType: 'RANGE' },
          ],
        }),
      ),
    });
  });

  it('models bucket: SSE, public access blocked, CORS exposes ETag for browser PUT, aborts incomplete uploads, logs access', () => {
    data.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      CorsConfiguration: {
        CorsRules: [
          Match.objectLike({
            AllowedMethods: Match.arrayWith(['PUT']),
            ExposedHeaders: [...buckets.models.corsExposeHeaders],
          }),
          // The operators' site (CloudFront) only reads, through presigned links.
          Match.objectLike({ AllowedMethods: ['GET', 'HEAD'], AllowedOrigins: ['https://*.cloudfront.net'] }),
        ],
      },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: buckets.models.abortIncompleteUploadAfterDays },
            Status: 'Enabled',
          }),
        ]),
      },
      LoggingConfiguration: { DestinationBucketName: Match.anyValue(), LogFilePrefix: 'models/' },
    });
  });

  it('every bucket denies requests without TLS', () => {
    const buckets = data.findResources('AWS::S3::Bucket');
    const policies = Object.values(data.findResources('AWS::S3::BucketPolicy'));
    expect(Object.keys(buckets)).toHaveLength(2);
    for (const id of Object.keys(buckets)) {
      const policy = policies.find((p) => p.Properties.Bucket.Ref === id);
      expect(policy?.Properties.PolicyDocument.Statement).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      );
    }
  });

  it('access policies list actions (no wildcards), name the table and each index, and scope objects to tenants/', () => {
    const policies = Object.values(data.findResources('AWS::IAM::ManagedPolicy'));
    expect(policies).toHaveLength(4);
    for (const policy of policies) {
      for (const statement of policy.Properties.PolicyDocument.Statement) {
        for (const action of [statement.Action].flat()) expect(action).not.toContain('*');
        const resources = JSON.stringify(statement.Resource);
        if (resources.includes('ModelsBucket')) expect(resources).toContain('/tenants/*');
        if (resources.includes('MainTable')) {
          for (const index of tables.main.indexes) expect(resources).toContain(`/index/${index.name}`);
        }
      }
    }
  });

  it('dev can be torn down; prod retains data and protects the table', () => {
    data.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete' });
    // CloudFormation cannot delete a bucket that holds objects: each destroyable bucket is emptied first.
    const buckets = Object.entries(data.findResources('AWS::S3::Bucket'));
    const emptied = Object.values(data.findResources('Custom::S3AutoDeleteObjects')).map(
      (r) => r.Properties.BucketName.Ref,
    );
    expect(buckets).toHaveLength(2);
    for (const [id, bucket] of buckets) {
      expect(bucket.DeletionPolicy, id).toBe('Delete');
      expect(emptied, id).toContain(id);
    }
    prod.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
    prod.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
    });
    prod.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain' });
  });

  it('matches the normalised snapshot (stateful resources change only on purpose)', () => {
    expect(normalizedTemplate(data)).toMatchSnapshot();
  });
});
