import { functionEnv } from '@facet/contracts/env';
import { BOARD_MEDIA_TYPE } from '@facet/contracts/operators';
import { problemType } from '@facet/contracts/problems';
import { authorizers, routes } from '@facet/wiring';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { routeAccess } from '../../lib/api/route-access.ts';
import { prodContext, stageContext, synthFacet } from './synth.ts';
import { actionsOf, managedPoliciesOfRole, roleOfFunction, statementsOfRole, tagged } from './template-helpers.ts';

describe('api stack', () => {
  let api: Template;
  beforeAll(() => {
    api = synthFacet().templates.api;
  });

  it('takes the usage identifier from the authorizer (API key source AUTHORIZER)', () => {
    api.hasResourceProperties('AWS::ApiGateway::RestApi', {
      ApiKeySourceType: 'AUTHORIZER',
      EndpointConfiguration: { Types: ['REGIONAL'] },
    });
  });

  it('passes only the gzipped board as binary (no request body of any route is base64-encoded)', () => {
    api.hasResourceProperties('AWS::ApiGateway::RestApi', { BinaryMediaTypes: [BOARD_MEDIA_TYPE] });
  });

  it('clients audience: a Lambda REQUEST authorizer on the x-api-key header, its function from the wiring', () => {
    const [fnId] = tagged(api, 'AWS::Lambda::Function', 'facet:fn', authorizers.clients.fn);
    api.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'REQUEST',
      IdentitySource: `method.request.header.${authorizers.clients.identityHeader}`,
      AuthorizerResultTtlInSeconds: 0,
      AuthorizerUri: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([{ 'Fn::GetAtt': [fnId, 'Arn'] }])] }),
    });
  });

  it('every clients route requires the authorizer, an API key and the validated header and path parameters', () => {
    for (const route of routes.filter((r) => r.audience === 'clients')) {
      const params = Object.fromEntries([
        [`method.request.header.${authorizers.clients.identityHeader}`, true],
        ...[...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => [`method.request.path.${m[1]}`, true]),
      ]);
      api.hasResourceProperties('AWS::ApiGateway::Method', {
        HttpMethod: route.method,
        AuthorizationType: 'CUSTOM',
        ApiKeyRequired: true,
        RequestValidatorId: Match.anyValue(),
        RequestParameters: params,
      });
    }
    api.hasResourceProperties('AWS::ApiGateway::RequestValidator', {
      ValidateRequestBody: true,
      ValidateRequestParameters: true,
    });
  });

  it('a usage plan with the per-company throttle and a daily quota on the stage', () => {
    api.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
      Throttle: { RateLimit: 50, BurstLimit: 100 },
      Quota: { Limit: 10_000, Period: 'DAY' },
      ApiStages: [Match.objectLike({ ApiId: Match.anyValue(), Stage: Match.anyValue() })],
    });
  });

  it('one company cannot starve the others: the stage throttle (all callers) exceeds the plan (one key)', () => {
    for (const stageName of ['dev', 'prod']) {
      const template = stageName === 'dev' ? api : synthFacet(stageContext(stageName)).templates.api;
      const stage = Object.values(template.findResources('AWS::ApiGateway::Stage'))[0];
      const plan = Object.values(template.findResources('AWS::ApiGateway::UsagePlan'))[0];
      const [methods] = stage?.Properties.MethodSettings ?? [];
      expect(methods, stageName).toMatchObject({ HttpMethod: '*', ResourcePath: '/*' });
      expect(methods.ThrottlingRateLimit, stageName).toBeGreaterThan(plan?.Properties.Throttle.RateLimit);
      expect(methods.ThrottlingBurstLimit, stageName).toBeGreaterThan(plan?.Properties.Throttle.BurstLimit);
      // API Gateway's default account limit per region bounds what a stage can promise.
      expect(methods.ThrottlingRateLimit, stageName).toBeLessThanOrEqual(10_000);
      expect(methods.ThrottlingBurstLimit, stageName).toBeLessThanOrEqual(5_000);
    }
  });

  it('stage: JSON access logs, X-Ray, execution logging, throttling', () => {
    const stage = Object.values(api.findResources('AWS::ApiGateway::Stage'))[0];
    expect(stage?.Properties).toMatchObject({
      TracingEnabled: true,
      MethodSettings: [
        expect.objectContaining({ LoggingLevel: 'ERROR', ThrottlingRateLimit: 1_000, ThrottlingBurstLimit: 2_000 }),
      ],
    });
    const format = JSON.parse(stage?.Properties.AccessLogSetting.Format);
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      status: '$context.status',
      tenantId: '$context.authorizer.tenantId',
    });
  });

  it('gateway responses are application/problem+json with a correlation id', () => {
    const responses = Object.values(api.findResources('AWS::ApiGateway::GatewayResponse'));
    const types = responses.map((r) => r.Properties.ResponseType);
    expect(types).toEqual(
      expect.arrayContaining([
        'UNAUTHORIZED',
        'ACCESS_DENIED',
        'THROTTLED',
        'QUOTA_EXCEEDED',
        'DEFAULT_4XX',
        'DEFAULT_5XX',
      ]),
    );
    for (const response of responses) {
      expect(response.Properties.ResponseParameters['gatewayresponse.header.Content-Type']).toBe(
        "'application/problem+json'",
      );
      const template = response.Properties.ResponseTemplates['application/json'] as string;
      // Valid JSON once API Gateway substitutes its variables.
      const sample = template
        .replace('$context.error.messageString', '"message"')
        .replaceAll('$context.path', '/v1/x')
        .replaceAll('$context.requestId', 'r-1');
      expect(JSON.parse(sample)).toMatchObject({ type: expect.any(String), correlationId: 'r-1' });
    }
    // The same stable problem types as the handlers' answers, and Retry-After on 429.
    const throttled = responses.find((r) => r.Properties.ResponseType === 'THROTTLED');
    expect(throttled?.Properties.ResponseTemplates['application/json']).toContain(problemType('rate_limited'));
    expect(throttled?.Properties.ResponseParameters['gatewayresponse.header.Retry-After']).toBe("'1'");
    api.hasResourceProperties('AWS::ApiGateway::GatewayResponse', { ResponseType: 'UNAUTHORIZED', StatusCode: '401' });
  });

  it('each route handler gets exactly the access declared for it', () => {
    for (const route of routes) {
      const access = routeAccess[route.fn];
      const [, fn] = tagged(api, 'AWS::Lambda::Function', 'facet:fn', route.fn);
      const roleId = roleOfFunction(fn);
      const actions = actionsOf(statementsOfRole(api, roleId));
      // The outbox: no route sends a job or publishes an event; only the webhook replay sends to its own queue.
      expect(actions.includes('sqs:SendMessage'), `${route.fn} sends messages`).toBe(access.webhooks === 'replay');
      expect(actions.includes('sns:Publish'), `${route.fn} publishes events`).toBe(false);
      expect(actions.filter((a) => a.includes('*'))).toEqual([]);
      const managed = managedPoliciesOfRole(api, roleId).join(' ');
      expect(managed.includes('AccessTableReadWrite')).toBe(access.data.table === 'readWrite');
      expect(managed.includes('AccessTableRead2')).toBe(access.data.table === 'read');
      expect(managed.includes('AccessModelsWrite')).toBe(
        access.data.models === 'write' || access.data.models === 'readWrite',
      );
      expect(managed.includes('AccessModelsRead')).toBe(
        access.data.models === 'read' || access.data.models === 'readWrite',
      );
    }
  });

  it('WAF: none in dev; in prod a web ACL with managed rule groups and rate rules on the stage', () => {
    api.resourceCountIs('AWS::WAFv2::WebACL', 0);
    const prod = synthFacet(prodContext).templates.api;
    prod.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      Rules: Match.arrayWith([
        Match.objectLike({
          Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' } },
        }),
      ]),
    });
    const [stageId] = Object.keys(prod.findResources('AWS::ApiGateway::Stage'));
    prod.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([{ Ref: stageId }])] }),
    });
  });

  it('WAF never blocks a company below its plan: a rule per API key sized from the plan, a looser one per IP', () => {
    const prod = synthFacet(prodContext).templates.api;
    const [acl] = Object.values(prod.findResources('AWS::WAFv2::WebACL'));
    const [plan] = Object.values(prod.findResources('AWS::ApiGateway::UsagePlan'));
    const rules: { Name: string; Action?: unknown; Statement: { RateBasedStatement?: Record<string, unknown> } }[] =
      acl?.Properties.Rules ?? [];
    const rate = (name: string) => rules.find((r) => r.Name === name)?.Statement.RateBasedStatement ?? {};
    const perKey = rate('RateLimitPerApiKey');
    const perIp = rate('RateLimitPerIp');
    expect(perKey).toMatchObject({
      AggregateKeyType: 'CUSTOM_KEYS',
      CustomKeys: [{ Header: { Name: authorizers.clients.identityHeader, TextTransformations: [expect.anything()] } }],
    });
    expect(perKey).toMatchObject({ CustomKeys: [{ Header: { Name: 'x-api-key' } }] });
    const window = perKey.EvaluationWindowSec as number;
    expect([60, 120, 300, 600]).toContain(window);
    // What the plan itself lets through in one window, before WAF may block the key at all.
    const { RateLimit, BurstLimit } = (plan?.Properties.Throttle ?? {}) as { RateLimit: number; BurstLimit: number };
    expect(perKey.Limit as number).toBeGreaterThanOrEqual(RateLimit * window + BurstLimit);
    expect(perKey.Limit as number).toBeGreaterThanOrEqual(RateLimit * window);
    expect(perIp).toMatchObject({ AggregateKeyType: 'IP', EvaluationWindowSec: window });
    expect(perIp.Limit as number).toBeGreaterThanOrEqual(perKey.Limit as number);
    for (const name of ['RateLimitPerApiKey', 'RateLimitPerIp']) {
      expect(rules.find((r) => r.Name === name)?.Action, name).toEqual({ Block: {} });
    }
    // Requests carry the company's secret key: WAF keeps no sampled copies of them.
    for (const rule of [acl?.Properties, ...rules] as { VisibilityConfig: { SampledRequestsEnabled: boolean } }[]) {
      expect(rule.VisibilityConfig.SampledRequestsEnabled).toBe(false);
    }
  });

  it('a WAF block is a 429 problem+json with Retry-After (the WAF window), not a bare 403', () => {
    const prod = synthFacet(prodContext).templates.api;
    const [acl] = Object.values(prod.findResources('AWS::WAFv2::WebACL'));
    const window = String(
      acl?.Properties.Rules.find((r: { Name: string }) => r.Name === 'RateLimitPerApiKey')?.Statement.RateBasedStatement
        .EvaluationWindowSec,
    );
    const [filtered] = Object.values(
      prod.findResources('AWS::ApiGateway::GatewayResponse', { Properties: { ResponseType: 'WAF_FILTERED' } }),
    );
    expect(filtered?.Properties).toMatchObject({
      StatusCode: '429',
      ResponseParameters: {
        'gatewayresponse.header.Content-Type': "'application/problem+json'",
        'gatewayresponse.header.Retry-After': `'${window}'`,
      },
    });
    const body = JSON.parse(
      String(filtered?.Properties.ResponseTemplates['application/problem+json'])
        .replaceAll('$context.path', '/v1/orders')
        .replaceAll('$context.requestId', 'r-1'),
    );
    expect(body).toMatchObject({ type: problemType('rate_limited'), status: 429, correlationId: 'r-1' });
  });

  it('no route function can touch the jobs queue or the topic (orders carry their events; the outbox sends them)', () => {
    const all = synthFacet();
    const text = JSON.stringify(all.templates.api.toJSON());
    expect(text).not.toMatch(/OrderEventsTopic/);
    // From the calculation stack the API takes the jobs' dead-letter queue only (the attention page peeks at it).
    const imports = [
      ...text.matchAll(/Facet-dev-Calculation:ExportsOutput[A-Za-z]+?calculationJobs([A-Za-z]+?)[0-9A-F]{8}/g),
    ];
    expect(new Set(imports.map((m) => m[1]))).toEqual(new Set(['Dlq']));
    for (const route of routes) {
      const [, fn] = tagged(all.templates.api, 'AWS::Lambda::Function', 'facet:fn', route.fn);
      const variables = Object.keys(fn.Properties.Environment.Variables);
      expect(variables, route.fn).not.toContain('JOBS_QUEUE_URL');
      expect(variables, route.fn).not.toContain('EVENTS_TOPIC_ARN');
      expect(variables.includes('CALCULATION_DLQ_URL'), route.fn).toBe(route.audience === 'operators');
    }
  });

  it('the authorizer reads the table and nothing else', () => {
    const [, fn] = tagged(api, 'AWS::Lambda::Function', 'facet:fn', authorizers.clients.fn);
    const roleId = roleOfFunction(fn);
    expect(actionsOf(statementsOfRole(api, roleId))).toEqual([
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);
    expect(managedPoliciesOfRole(api, roleId).join(' ')).toMatch(/^"?[^ ]*AccessTableRead2[^ ]*$/);
  });

  it('every route function answers within API Gateway’s 29 s integration timeout (else the client gets a 504)', () => {
    for (const route of routes) {
      const [, fn] = tagged(api, 'AWS::Lambda::Function', 'facet:fn', route.fn);
      expect(fn.Properties.Timeout, route.fn).toBeLessThan(29);
    }
  });

  it('route handlers carry the house defaults and their env contract', () => {
    for (const route of routes) {
      const [, fn] = tagged(api, 'AWS::Lambda::Function', 'facet:fn', route.fn);
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogFormat: 'JSON' },
      });
      // Every variable the function's contract requires, and none that belongs to another contract.
      const shape = functionEnv[route.fn].shape as Record<string, { safeParse(v: unknown): { success: boolean } }>;
      const required = Object.keys(shape).filter((k) => !shape[k]?.safeParse(undefined).success);
      const variables = Object.keys(fn.Properties.Environment.Variables);
      expect(variables).toEqual(expect.arrayContaining([...required, 'POWERTOOLS_SERVICE_NAME']));
      const ours = variables.filter((v) => !/^(POWERTOOLS_|NODE_OPTIONS|AWS_)/.test(v));
      expect(
        ours.filter((v) => !(v in shape)),
        route.fn,
      ).toEqual([]);
    }
  });
});
