import { binaryMediaTypes } from '@facet/wiring';
import {
  AccessLogField,
  AccessLogFormat,
  ApiKeySourceType,
  EndpointType,
  LogGroupLogDestination,
  MethodLoggingLevel,
  Period,
  type RequestValidator,
  RestApi,
  type UsagePlan,
} from 'aws-cdk-lib/aws-apigateway';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { type FacetConfig, wafKeyLimitPerWindow } from '../config.ts';
import { acknowledge } from '../nag.ts';
import { ApiFirewall } from './api-firewall.ts';
import { addProblemResponses } from './problem-responses.ts';

export interface FacetRestApiProps {
  /** Name of the API (also its metrics' ApiName dimension). */
  readonly name: string;
  readonly stageName: string;
  readonly limits: FacetConfig['api'];
  /** The header carrying a company's API key (WAF counts requests per value of it). */
  readonly apiKeyHeader: string;
  readonly logRetention: RetentionDays;
}

/**
 * The REST API shell: regional, API keys taken from the authorizer (API key source AUTHORIZER), a stage with JSON
 * access logs, X-Ray, error-level execution logs and the API's total throttle, a request validator, problem+json
 * gateway responses, and the default usage plan (per-company throttle + daily quota) of B2B companies. Routes are
 * added by the stack.
 */
export class FacetRestApi extends Construct {
  public readonly api: RestApi;
  public readonly accessLogs: LogGroup;
  public readonly validator: RequestValidator;
  public readonly usagePlan: UsagePlan;
  /** Present when the stage has `api.waf` on. */
  public readonly firewall?: ApiFirewall;

  constructor(scope: Construct, id: string, props: FacetRestApiProps) {
    super(scope, id);
    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.logRetention });
    this.api = new RestApi(this, 'Api', {
      restApiName: props.name,
      description: 'Facet API: B2B clients (API keys) under /v1',
      endpointTypes: [EndpointType.REGIONAL],
      apiKeySourceType: ApiKeySourceType.AUTHORIZER,
      binaryMediaTypes: [...binaryMediaTypes],
      cloudWatchRole: true,
      deployOptions: {
        stageName: props.stageName,
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
        // The default method throttle: every caller of a method together (the API's capacity); each company is held
        // to its plan below, so one company can never use up what the others need.
        throttlingRateLimit: props.limits.stage.rateLimit,
        throttlingBurstLimit: props.limits.stage.burstLimit,
      },
    });
    const cloudWatchRole = this.api.node.tryFindChild('CloudWatchRole');
    if (cloudWatchRole) acknowledge(cloudWatchRole, 'apiGatewayLoggingRole');
    const { waf } = props.limits;
    if (waf.enabled) {
      this.firewall = new ApiFirewall(this, 'Firewall', {
        stage: this.api.deploymentStage,
        metricPrefix: props.name,
        apiKeyHeader: props.apiKeyHeader,
        windowSeconds: waf.windowSeconds,
        keyLimitPerWindow: wafKeyLimitPerWindow(props.limits),
        ipLimitPerWindow: waf.ipRequestsPerWindow,
      });
    } else {
      acknowledge(this.api.deploymentStage, 'noWebAcl');
    }
    addProblemResponses(this.api, { firewallRetryAfterSeconds: waf.windowSeconds });

    // Bodies are validated by the handlers (zod, problem+json with field paths, the same locally and on AWS); the
    // gateway checks that the key header and path parameters are present before anything runs.
    this.validator = this.api.addRequestValidator('Validator', {
      validateRequestParameters: true,
      validateRequestBody: true,
    });

    this.usagePlan = this.api.addUsagePlan('ClientsPlan', {
      // Known at synth: GET /v1/usage finds the plan by name (its id would make the handler depend on the stage).
      name: clientsUsagePlanName(props.name),
      description: 'Default plan of B2B companies; onboarding adds each company key to it',
      throttle: { rateLimit: props.limits.plan.rateLimit, burstLimit: props.limits.plan.burstLimit },
      quota: { limit: props.limits.plan.quotaPerDay, period: Period.DAY },
      apiStages: [{ api: this.api, stage: this.api.deploymentStage }],
    });
  }
}

export const clientsUsagePlanName = (apiName: string) => `${apiName}-clients`;
