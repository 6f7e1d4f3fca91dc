import { type Audience, authorizers, routes } from '@facet/contracts/wiring';
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import {
  AccessLogField,
  AccessLogFormat,
  ApiKeySourceType,
  EndpointType,
  IdentitySource,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  Period,
  RequestAuthorizer,
  type RequestValidator,
  RestApi,
  type UsagePlan,
} from 'aws-cdk-lib/aws-apigateway';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { FacetConfig } from '../../bin/config.ts';
import type { CalculationStack } from '../calculation/calculation-stack.ts';
import { FacetFunction } from '../constructs/facet-function.ts';
import { attachDataAccess } from '../data/data-access.ts';
import type { DataStack } from '../data/data-stack.ts';
import type { EventsStack } from '../events/events-stack.ts';
import { acknowledge } from '../nag.ts';
import type { RouteFn } from '../wiring-types.ts';
import { addProblemResponses } from './problem-responses.ts';
import { routeAccess } from './route-access.ts';

/** How each audience of the wiring is authenticated at the gateway. */
const audienceAuth: { readonly [A in Audience]: 'apiKey' | 'none' } = { clients: 'apiKey', public: 'none' };

export interface ApiStackProps extends StackProps {
  readonly stage: string;
  readonly data: DataStack;
  readonly events: EventsStack;
  readonly calculation: CalculationStack;
  readonly limits: FacetConfig['api'];
  readonly logRetention: RetentionDays;
}

/**
 * The REST API: every route of the wiring, each with its own function; the clients audience behind a Lambda
 * REQUEST authorizer on `x-api-key` that also returns the usage identifier (API key source AUTHORIZER), so the
 * company's usage plan throttles and meters it. JSON access logs, X-Ray, stage throttling, parameter
 * validation and problem+json gateway responses.
 */
export class ApiStack extends Stack {
  public readonly api: RestApi;
  public readonly accessLogs: LogGroup;
  public readonly authorizer: RequestAuthorizer;
  public readonly authorizerFunction: FacetFunction<'ClientsAuthorizer'>;
  public readonly usagePlan: UsagePlan;
  public readonly validator: RequestValidator;
  public readonly routeFunctions: ReadonlyMap<RouteFn, FacetFunction<RouteFn>>;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { data, events, calculation } = props;

    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.logRetention });
    this.api = new RestApi(this, 'Api', {
      // Also the ApiName dimension of its metrics: unique per stage, derived from the stack name.
      restApiName: this.stackName,
      description: 'Facet API: B2B clients (API keys) under /v1',
      endpointTypes: [EndpointType.REGIONAL],
      apiKeySourceType: ApiKeySourceType.AUTHORIZER,
      cloudWatchRole: true,
      deployOptions: {
        stageName: props.stage,
        accessLogDestination: new LogGroupLogDestination(this.accessLogs),
        accessLogFormat: AccessLogFormat.custom(
          JSON.stringify({
            requestId: AccessLogField.contextRequestId(),
            time: AccessLogField.contextRequestTime(),
            method: AccessLogField.contextHttpMethod(),
            resource: AccessLogField.contextResourcePath(),
            path: AccessLogField.contextPath(),
            status: AccessLogField.contextStatus(),
            responseLength: AccessLogField.contextResponseLength(),
            latencyMs: AccessLogField.contextResponseLatency(),
            integrationLatencyMs: AccessLogField.contextIntegrationLatency(),
            apiKeyId: AccessLogField.contextIdentityApiKeyId(),
            tenantId: AccessLogField.contextAuthorizer('tenantId'),
            error: AccessLogField.contextErrorMessage(),
            authorizerError: AccessLogField.contextAuthorizerError(),
            sourceIp: AccessLogField.contextIdentitySourceIp(),
            xrayTraceId: AccessLogField.contextXrayTraceId(),
          }),
        ),
        loggingLevel: MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        tracingEnabled: true,
        metricsEnabled: true,
        throttlingRateLimit: props.limits.rateLimit,
        throttlingBurstLimit: props.limits.burstLimit,
      },
    });
    if (this.api.node.tryFindChild('CloudWatchRole')) {
      acknowledge(this.api.node.findChild('CloudWatchRole'), 'apiGatewayLoggingRole');
    }
    acknowledge(this.api, 'noWebAcl');
    addProblemResponses(this.api);

    // Body schemas are validated by the handlers (zod, problem+json with field paths); the gateway checks that
    // path parameters and the key header are present before anything runs.
    this.validator = this.api.addRequestValidator('Validator', {
      validateRequestParameters: true,
      validateRequestBody: true,
    });

    const authorizerDecl = authorizers.clients;
    this.authorizerFunction = new FacetFunction(this, authorizerDecl.fn, {
      fn: authorizerDecl.fn,
      entry: authorizerDecl.entry,
      environment: { TABLE_NAME: data.table.table.tableName },
      invocation: 'authorizer',
      logRetention: props.logRetention,
      memorySize: 256,
      timeout: Duration.seconds(5),
    });
    attachDataAccess(this.authorizerFunction.role, data.access, { table: 'read' });
    this.authorizer = new RequestAuthorizer(this, 'ClientsKeyAuthorizer', {
      handler: this.authorizerFunction.function,
      identitySources: [IdentitySource.header(authorizerDecl.identityHeader)],
      // No caching: the handler's policy names the one method ARN it was asked about.
      resultsCacheTtl: Duration.seconds(0),
    });

    const functions = new Map<RouteFn, FacetFunction<RouteFn>>();
    for (const route of routes) {
      const access = routeAccess[route.fn];
      const fn = new FacetFunction(this, route.fn, {
        fn: route.fn,
        entry: route.entry,
        environment: {
          TABLE_NAME: data.table.table.tableName,
          BUCKET_NAME: data.models.bucket.bucketName,
          JOBS_QUEUE_URL: calculation.jobs.queue.queueUrl,
          EVENTS_TOPIC_ARN: events.orderEvents.topic.topicArn,
        },
        invocation: 'api',
        logRetention: props.logRetention,
      });
      attachDataAccess(fn.role, data.access, access.data);
      if (access.jobs) calculation.jobs.queue.grantSendMessages(fn.role);
      if (access.events) events.orderEvents.grantPublish(fn.role);
      functions.set(route.fn, fn);

      const pathParameters = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      const auth = audienceAuth[route.audience];
      this.api.root.resourceForPath(route.path).addMethod(route.method, new LambdaIntegration(fn.function), {
        ...(auth === 'apiKey' ? { authorizer: this.authorizer, apiKeyRequired: true } : {}),
        requestValidator: this.validator,
        requestParameters: Object.fromEntries([
          ...(auth === 'apiKey' ? [[`method.request.header.${authorizerDecl.identityHeader}`, true]] : []),
          ...pathParameters.map((p) => [`method.request.path.${p}`, true]),
        ]),
      });
    }
    this.routeFunctions = functions;
    acknowledge(this.api, 'apiKeyAuthorizer');

    this.usagePlan = this.api.addUsagePlan('ClientsPlan', {
      description: 'Default plan of B2B companies; onboarding adds each company key to it',
      throttle: { rateLimit: props.limits.rateLimit, burstLimit: props.limits.burstLimit },
      quota: { limit: props.limits.quotaPerDay, period: Period.DAY },
      apiStages: [{ api: this.api, stage: this.api.deploymentStage }],
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.url });
    new CfnOutput(this, 'UsagePlanId', { value: this.usagePlan.usagePlanId });
  }
}
