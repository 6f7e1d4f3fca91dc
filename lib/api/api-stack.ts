import type { FunctionEnvInput } from '@facet/contracts/env';
import { authorizers, routes } from '@facet/wiring';
import type { RouteFn } from '@facet/wiring/views';
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { LambdaIntegration, type MethodOptions } from 'aws-cdk-lib/aws-apigateway';
import { Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { CalculationStack } from '../calculation/calculation-stack.ts';
import type { FacetConfig } from '../config.ts';
import { FacetFunction } from '../constructs/facet-function.ts';
import { importProvidersStrongly } from '../constructs/references.ts';
import { attachDataAccess } from '../data/data-access.ts';
import type { DataStack } from '../data/data-stack.ts';
import type { EventsStack } from '../events/events-stack.ts';
import { acknowledge, acknowledgeWildcardResource } from '../nag.ts';
import { ClientsAuthorizer } from './clients-authorizer.ts';
import { clientsUsagePlanName, FacetRestApi } from './facet-rest-api.ts';
import { OperatorsIdentity } from './operators-identity.ts';
import { OperatorsSite } from './operators-site.ts';
import { type RouteAccess, routeAccess } from './route-access.ts';

export interface ApiStackProps extends StackProps {
  readonly stage: string;
  readonly data: DataStack;
  readonly events: EventsStack;
  readonly calculation: CalculationStack;
  /** Keep the operators' user pool (and site logs) when the stack goes. */
  readonly retainData: boolean;
  readonly logRetentionDays: number;
  readonly limits: FacetConfig['api'];
  readonly logRetention: RetentionDays;
}

/**
 * The API: the REST API shell, one authorizer per audience (clients: API keys; operators: Cognito ID tokens), every
 * route of the wiring, each with its own function holding exactly the access declared in route-access.ts, and the
 * operators' site in front of its routes (CloudFront: the site's files and /ops/* on one origin).
 */
export class ApiStack extends Stack {
  public readonly rest: FacetRestApi;
  public readonly clientsAuthorizer: ClientsAuthorizer;
  public readonly routeFunctions: ReadonlyMap<RouteFn, FacetFunction<RouteFn>>;
  public readonly operatorsIdentity: OperatorsIdentity;
  public readonly operatorsSite: OperatorsSite;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    importProvidersStrongly(this);
    const { data, events, calculation } = props;

    this.rest = new FacetRestApi(this, 'Rest', {
      name: this.stackName,
      stageName: props.stage,
      limits: props.limits,
      apiKeyHeader: authorizers.clients.identityHeader,
      logRetention: props.logRetention,
    });
    this.clientsAuthorizer = new ClientsAuthorizer(this, 'Clients', {
      tableName: data.table.table.tableName,
      access: data.access,
      logRetention: props.logRetention,
    });

    this.operatorsSite = new OperatorsSite(this, 'OperatorsSite', {
      api: this.rest.api,
      stageName: props.stage,
      retain: props.retainData,
      logDays: props.logRetentionDays,
      connectSources: [
        `https://cognito-idp.${this.region}.${this.urlSuffix}`,
        `https://*.auth.${this.region}.amazoncognito.com`,
        `https://${data.models.bucket.bucketRegionalDomainName}`,
      ],
      imageSources: [`https://${data.models.bucket.bucketRegionalDomainName}`],
    });
    this.operatorsIdentity = new OperatorsIdentity(this, 'Operators', {
      siteUrl: this.operatorsSite.url,
      retain: props.retainData,
      logRetention: props.logRetention,
    });
    const identity = this.operatorsIdentity;
    this.operatorsSite.deploy({
      apiUrl: '',
      authority: identity.issuer,
      clientId: identity.client.userPoolClientId,
      logoutUrl: `${identity.signInUrl}/logout?client_id=${identity.client.userPoolClientId}&logout_uri=${encodeURIComponent(`${this.operatorsSite.url}/`)}`,
    });

    /** What each audience with routes requires at the gateway (a new audience must be decided here). */
    const audienceMethodOptions: {
      readonly [A in (typeof routes)[number]['audience']]: { options: MethodOptions; headers: readonly string[] };
    } = {
      clients: {
        options: { authorizer: this.clientsAuthorizer.authorizer, apiKeyRequired: true },
        headers: [this.clientsAuthorizer.identityHeader],
      },
      operators: {
        options: { authorizer: identity.authorizer, apiKeyRequired: false },
        headers: [identity.identityHeader],
      },
      public: { options: {}, headers: [] },
    };

    const webhookQueue = events.queueOf('webhookNotifications');
    /** Each handler gets the variables of its env contract and nothing else. */
    const routeEnvironment = (access: RouteAccess): Record<string, string> => {
      if (access.operators) {
        return {
          TABLE_NAME: data.table.table.tableName,
          BUCKET_NAME: data.models.bucket.bucketName,
          CALCULATION_DLQ_URL: calculation.jobs.deadLetterQueue.queueUrl,
          USAGE_PLAN_NAME: clientsUsagePlanName(this.stackName),
        };
      }
      if (access.webhooks) return { TABLE_NAME: data.table.table.tableName, WEBHOOK_QUEUE_URL: webhookQueue.queueUrl };
      if (access.usagePlan) return { USAGE_PLAN_NAME: clientsUsagePlanName(this.stackName) };
      if (!access.data.table) return {};
      // Order routes write the order and its event in one transaction; the outbox publishes it.
      return { TABLE_NAME: data.table.table.tableName, BUCKET_NAME: data.models.bucket.bucketName };
    };
    const functions = new Map<RouteFn, FacetFunction<RouteFn>>();
    for (const route of routes) {
      const access = routeAccess[route.fn];
      const fn = new FacetFunction(this, route.fn, {
        fn: route.fn,
        entry: route.entry,
        // The shape is checked against the function's env contract at synth (FacetFunction).
        environment: routeEnvironment(access) as FunctionEnvInput<RouteFn>,
        invocation: 'api',
        logRetention: props.logRetention,
        ...(access.assets ? { assets: access.assets } : {}),
      });
      attachDataAccess(fn.role, data.access, access.data);
      if (access.usagePlan) {
        // A policy of its own, not the role's default one: the function must not wait for the plan, which waits
        // for the stage, which waits for the function's route.
        const plans = `arn:${this.partition}:apigateway:${this.region}::/usageplans`;
        const plan = `${plans}/${this.rest.usagePlan.usagePlanId}`;
        new Policy(this, `${route.fn}UsagePlanRead`, {
          roles: [fn.role],
          statements: [new PolicyStatement({ actions: ['apigateway:GET'], resources: [plans, plan, `${plan}/usage`] })],
        });
      }
      if (access.webhooks === 'replay') webhookQueue.grantSendMessages(fn.role);
      if (access.operators?.peeksDeadLetters) {
        fn.role.addToPrincipalPolicy(
          new PolicyStatement({
            actions: ['sqs:ReceiveMessage', 'sqs:GetQueueAttributes'],
            resources: [calculation.jobs.deadLetterQueue.queueArn],
          }),
        );
      }
      if (access.operators?.gatewayKeys) this.grantGatewayKeys(route.fn, fn);
      functions.set(route.fn, fn);

      const audience = audienceMethodOptions[route.audience];
      const pathParameters = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      const method = this.rest.api.root
        .resourceForPath(route.path)
        .addMethod(route.method, new LambdaIntegration(fn.function), {
          ...audience.options,
          requestValidator: this.rest.validator,
          requestParameters: Object.fromEntries([
            ...audience.headers.map((h) => [`method.request.header.${h}`, true]),
            ...pathParameters.map((p) => [`method.request.path.${p}`, true]),
          ]),
        });
      acknowledge(method, methodAcknowledgement[route.audience]);
    }
    this.routeFunctions = functions;

    new CfnOutput(this, 'ApiUrl', { value: this.rest.api.url });
    new CfnOutput(this, 'UsagePlanId', { value: this.rest.usagePlan.usagePlanId });
    new CfnOutput(this, 'OperatorsSiteUrl', { value: this.operatorsSite.url });
    new CfnOutput(this, 'OperatorsUserPoolId', { value: identity.pool.userPoolId });
  }

  /**
   * A company key is also an API Gateway key on the clients' plan: find the plan by name, create the key, add it to
   * the plan, disable it on revocation. A policy of its own for the same reason as the usage read.
   */
  private grantGatewayKeys(name: RouteFn, fn: FacetFunction<RouteFn>): void {
    const base = `arn:${this.partition}:apigateway:${this.region}::`;
    const plan = `${base}/usageplans/${this.rest.usagePlan.usagePlanId}`;
    const keys = `${base}/apikeys/*`;
    const policy = new Policy(this, `${name}GatewayKeys`, {
      roles: [fn.role],
      statements: [
        new PolicyStatement({ actions: ['apigateway:GET'], resources: [`${base}/usageplans`] }),
        new PolicyStatement({ actions: ['apigateway:POST'], resources: [`${base}/apikeys`, `${plan}/keys`] }),
        new PolicyStatement({ actions: ['apigateway:PATCH'], resources: [keys] }),
      ],
    });
    acknowledgeWildcardResource(policy, 'gatewayApiKeys', keys);
  }
}

/** Why each audience's methods do not use a Cognito user pool authorizer (AwsSolutions-COG4). */
const methodAcknowledgement = {
  clients: 'apiKeyAuthorizer',
  operators: 'cognitoTokenAuthorizer',
  public: 'publicDocumentation',
} as const;
