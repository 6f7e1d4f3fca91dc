import { authorizers, routes } from '@facet/wiring';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { staffGroups } from '../../lib/api/operators-identity.ts';
import { type Synthesized, synthFacet } from './synth.ts';
import { actionsOf, roleOfFunction, statementsOfRole, tagged } from './template-helpers.ts';

describe('operators audience (Cognito, authorizer, site)', () => {
  let synth: Synthesized;
  let api: Template;
  beforeAll(() => {
    synth = synthFacet();
    api = synth.templates.api;
  });

  it('a staff user pool: no self sign-up, MFA, strong passwords, the operators and admins groups', () => {
    api.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
      Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 12, RequireSymbols: true }) },
    });
    const groups = Object.values(api.findResources('AWS::Cognito::UserPoolGroup')).map((g) => g.Properties.GroupName);
    expect(groups.sort()).toEqual([...staffGroups].sort());
  });

  it('the site’s app client: authorization code (PKCE: a public client, no secret), callback on the distribution', () => {
    const [client] = Object.values(api.findResources('AWS::Cognito::UserPoolClient'));
    expect(client?.Properties).toMatchObject({
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      GenerateSecret: false,
      SupportedIdentityProviders: ['COGNITO'],
    });
    expect(client?.Properties.AllowedOAuthFlows).not.toContain('implicit');
    const [distributionId] = Object.keys(api.findResources('AWS::CloudFront::Distribution'));
    expect(JSON.stringify(client?.Properties.CallbackURLs)).toContain(distributionId);
  });

  it('every operators route sits behind the token authorizer (Authorization header, never an API key)', () => {
    const [fnId, fn] = tagged(api, 'AWS::Lambda::Function', 'facet:fn', authorizers.operators.fn);
    const [authorizerId] = Object.entries(api.findResources('AWS::ApiGateway::Authorizer')).find(([, a]) =>
      JSON.stringify(a.Properties.AuthorizerUri).includes(fnId),
    ) ?? [''];
    api.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'REQUEST',
      IdentitySource: 'method.request.header.authorization',
      AuthorizerResultTtlInSeconds: 60,
    });
    expect(JSON.stringify(fn.Properties.Environment.Variables.OPERATORS_ISSUER)).toContain('cognito-idp');
    const operatorRoutes = routes.filter((r) => r.audience === 'operators');
    expect(operatorRoutes.length).toBeGreaterThan(10);
    const methods = Object.values(api.findResources('AWS::ApiGateway::Method')).filter(
      (m) => m.Properties.AuthorizerId?.Ref === authorizerId,
    );
    expect(methods).toHaveLength(operatorRoutes.length);
    for (const method of methods) {
      expect(method.Properties).toMatchObject({ AuthorizationType: 'CUSTOM', ApiKeyRequired: false });
    }
  });

  it('the site bucket is private and read only by the distribution through origin access control', () => {
    api.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always' }),
    });
    const buckets = Object.values(api.findResources('AWS::S3::Bucket'));
    for (const bucket of buckets) {
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
    }
    const policies = Object.values(api.findResources('AWS::S3::BucketPolicy'));
    const reads = policies.flatMap((p) =>
      (p.Properties.PolicyDocument.Statement as { Principal?: { Service?: string }; Action: string }[]).filter(
        (s) => s.Action === 's3:GetObject',
      ),
    );
    expect(reads.map((s) => s.Principal?.Service)).toEqual(['cloudfront.amazonaws.com']);
  });

  it('every response carries the security headers, and /ops/* goes to the API uncached', () => {
    const [policy] = Object.values(api.findResources('AWS::CloudFront::ResponseHeadersPolicy'));
    const security = policy?.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    // Built with the region and the models bucket's domain: a Join at synth.
    const csp = JSON.stringify(security.ContentSecurityPolicy.ContentSecurityPolicy);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(security).toMatchObject({
      ContentTypeOptions: { Override: true },
      FrameOptions: { FrameOption: 'DENY' },
      StrictTransportSecurity: { IncludeSubdomains: true, AccessControlMaxAgeSec: 63_072_000 },
    });
    const [distribution] = Object.values(api.findResources('AWS::CloudFront::Distribution'));
    const config = distribution?.Properties.DistributionConfig;
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(config.DefaultCacheBehavior.ResponseHeadersPolicyId).toBeDefined();
    const opsBehavior = config.CacheBehaviors.find((b: { PathPattern: string }) => b.PathPattern === '/ops/*');
    expect(opsBehavior).toMatchObject({
      ViewerProtocolPolicy: 'https-only',
      // The managed CachingDisabled policy.
      CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
    });
    expect(config.Logging).toBeDefined();
  });

  it('the board projector has its queue with a DLQ, and an alarm on it', () => {
    const [queueId, queue] = tagged(synth.templates.events, 'AWS::SQS::Queue', 'facet:queue', 'boardProjection');
    expect(queue.Properties.RedrivePolicy).toMatchObject({ maxReceiveCount: 5 });
    const [, fn] = tagged(synth.templates.events, 'AWS::Lambda::Function', 'facet:fn', 'BoardProjector');
    const actions = actionsOf(statementsOfRole(synth.templates.events, roleOfFunction(fn)));
    expect(actions).not.toContain('sns:Publish');
    const dlqAlarms = Object.values(synth.templates.observability.findResources('AWS::CloudWatch::Alarm')).filter(
      (a) =>
        a.Properties.MetricName === 'ApproximateNumberOfMessagesVisible' &&
        JSON.stringify(a.Properties.Dimensions).includes('boardProjection'),
    );
    expect(dlqAlarms.length, `alarm on the DLQ of ${queueId}`).toBeGreaterThanOrEqual(1);
  });

  it('only the attention page peeks at the jobs DLQ, and only the key routes touch API Gateway keys', () => {
    for (const route of routes.filter((r) => r.audience === 'operators')) {
      const [, fn] = tagged(api, 'AWS::Lambda::Function', 'facet:fn', route.fn);
      const actions = actionsOf(statementsOfRole(api, roleOfFunction(fn)));
      expect(actions.includes('sqs:ReceiveMessage'), route.fn).toBe(route.fn === 'OperatorsAttention');
      expect(actions.includes('sqs:DeleteMessage'), route.fn).toBe(false);
      expect(actions.includes('apigateway:POST'), route.fn).toBe(
        ['OperatorsIssueKey', 'OperatorsRevokeKey'].includes(route.fn),
      );
    }
  });
});
