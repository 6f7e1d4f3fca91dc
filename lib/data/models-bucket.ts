import { buckets } from '@facet/wiring';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, HttpMethods, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface ModelsBucketProps {
  readonly retain: boolean;
  /** Browser origins that PUT presigned parts directly. */
  readonly uploadOrigins: readonly string[];
  /** Days to keep S3 server access logs. */
  readonly accessLogDays: number;
}

/** Prefix under which every object lives: `tenants/{tenant}/orders/{order}/…`. */
export const modelsKeyPrefix = 'tenants/';

/**
 * The models bucket from `buckets.models`: SSE-S3, all public access blocked, TLS only, CORS that lets a browser
 * PUT presigned parts and read their ETag, incomplete multipart uploads aborted, server access logs to a
 * separate bucket. Retained (prod) or, on a destroyable stage, emptied and deleted with the stack.
 */
export class ModelsBucket extends Construct {
  public readonly bucket: Bucket;
  public readonly accessLogs: Bucket;

  constructor(scope: Construct, id: string, props: ModelsBucketProps) {
    super(scope, id);
    const decl = buckets.models;
    const removalPolicy = props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    // CloudFormation cannot delete a bucket that still holds objects: a destroyable stage empties both buckets
    // first (a CDK custom resource that also denies new writes, so late access logs cannot refill them).
    const autoDeleteObjects = !props.retain;

    this.accessLogs = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(props.accessLogDays) }],
      removalPolicy,
      autoDeleteObjects,
    });

    this.bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'models/',
      cors: [
        {
          allowedMethods: [HttpMethods.PUT, HttpMethods.GET, HttpMethods.HEAD],
          allowedOrigins: [...props.uploadOrigins],
          allowedHeaders: ['*'],
          exposedHeaders: [...decl.corsExposeHeaders],
          maxAge: 3000,
        },
        {
          // The operators' site (a CloudFront domain, made in the Api stack after this one) reads models and reports
          // through presigned links for its 3D viewer; CORS only lets the page read what the signature already allows.
          allowedMethods: [HttpMethods.GET, HttpMethods.HEAD],
          allowedOrigins: ['https://*.cloudfront.net'],
          allowedHeaders: ['*'],
          maxAge: 3000,
        },
      ],
      lifecycleRules: [
        {
          id: 'abort-incomplete-uploads',
          abortIncompleteMultipartUploadAfter: Duration.days(decl.abortIncompleteUploadAfterDays),
        },
      ],
      removalPolicy,
      autoDeleteObjects,
    });
  }
}
