import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type SiteConfig, siteSecurityHeaders, sites } from '@facet/wiring';
import { Annotations, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  OriginRequestPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeWildcardResource } from '../nag.ts';
import { repoRoot } from '../paths.ts';

export interface OperatorsSiteProps {
  readonly api: RestApi;
  readonly stageName: string;
  readonly retain: boolean;
  /** Origins the page talks to besides itself (Cognito, the models bucket for thumbnails and the 3D viewer). */
  readonly connectSources: readonly string[];
  readonly imageSources: readonly string[];
  readonly logDays: number;
}

/**
 * The operators' MES on AWS: a private bucket read by CloudFront through origin access control, the wiring's
 * security headers on every response, and `/ops/*` forwarded to the REST API on the same origin (no CORS; the
 * token is never cached: caching disabled, every viewer header but Host forwarded). Deep links fall back to
 * index.html (a single-page app). The build and a config.json written from the stack are deployed with it.
 */
export class OperatorsSite extends Construct {
  public readonly bucket: Bucket;
  public readonly distribution: Distribution;
  public readonly logs: Bucket;

  constructor(scope: Construct, id: string, props: OperatorsSiteProps) {
    super(scope, id);
    const removalPolicy = props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    // CloudFront's standard logs are written with ACLs: the one bucket that needs OBJECT_WRITER.
    this.logs = new Bucket(this, 'Logs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(props.logDays) }],
      removalPolicy,
      autoDeleteObjects: !props.retain,
    });
    this.bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logs,
      serverAccessLogsPrefix: 'bucket/',
      // The site is rebuilt from the repository on every deploy: nothing in it to keep.
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });

    const h = siteSecurityHeaders({ connect: props.connectSources, img: props.imageSources });
    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Facet operators site: CSP and hardening headers (packages/wiring/src/sites.ts)',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: h.contentSecurityPolicy, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.seconds(h.strictTransportSecondsMaxAge),
          includeSubdomains: true,
          override: true,
        },
      },
    });

    // The API's own host and stage path, not the stage resource: the user pool's callback names this distribution,
    // and the authorizer (which the deployment waits for) names the pool's client.
    const stack = Stack.of(this);
    const apiOrigin = new HttpOrigin(`${props.api.restApiId}.execute-api.${stack.region}.${stack.urlSuffix}`, {
      originPath: `/${props.stageName}`,
    });
    const apiBehavior = {
      origin: apiOrigin,
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      // The board answers per operator and with its own ETag/304: nothing is cached at the edge.
      cachePolicy: CachePolicy.CACHING_DISABLED,
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: headers,
    };
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Facet operators MES',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
      },
      additionalBehaviors: Object.fromEntries(sites.operators.apiPrefixes.map((p) => [`${p}*`, apiBehavior])),
      // Client-side routes (/orders/…, /trees): S3 answers 403 for a key it does not hold.
      errorResponses: [
        { httpStatus: 403, responseHttpStatus: 200, responsePagePath: '/index.html', ttl: Duration.seconds(0) },
      ],
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: this.logs,
      logFilePrefix: 'distribution/',
    });
    acknowledge(this.distribution, 'siteDistributionDefaults');
  }

  /** Deploys the built site and its config.json (a missing build deploys the config alone, with a warning). */
  deploy(config: SiteConfig): void {
    const dist = join(repoRoot, sites.operators.dist);
    const built = existsSync(join(dist, 'index.html'));
    if (!built) {
      Annotations.of(this).addInfo(
        `The operators site is not built (${sites.operators.dist}): run \`npm run build:sites\` before deploying.`,
      );
    }
    new BucketDeployment(this, 'Deploy', {
      destinationBucket: this.bucket,
      sources: [...(built ? [Source.asset(dist)] : []), Source.jsonData('config.json', config)],
      distribution: this.distribution,
      distributionPaths: ['/index.html', '/config.json'],
      memoryLimit: 512,
    });
    // The findings belong to the construct's handler: a stack-level singleton shared by every BucketDeployment.
    const handler = Stack.of(this).node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (handler) {
      acknowledge(handler, 'bucketDeployment');
      acknowledgeWildcardResource(handler, 'bucketDeployment', this.bucket.arnForObjects('*'));
    }
  }

  get url(): string {
    return `https://${this.distribution.distributionDomainName}`;
  }
}
