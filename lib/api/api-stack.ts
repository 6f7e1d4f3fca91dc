import type { FunctionEnvInput } from '@facet/contracts/env';
import { authorizers, routes } from '@facet/wiring';
import type { RouteFn } from '@facet/wiring/views';
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { LambdaIntegration, type MethodOptions } from 'aws-cdk-lib/aws-apigateway';
import { Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { FacetConfig } from '../config.ts';
import { FacetFunction } from '../constructs/facet-function.ts';
import { importProvidersStrongly } from '../constructs/references.ts';
import { attachDataAccess } from '../data/data-access.ts';
import type { DataStack } from '../data/data-stack.ts';
import type { EventsStack } from '../events/events-stack.ts';
import { acknowledge } from '../nag.ts';
import { ClientsAuthorizer } from './clients-authorizer.ts';
import { clientsUsagePlanName, FacetRestApi } from './facet-rest-api.ts';
import { type RouteAccess, routeAccess } from './route-access.ts';

export interface ApiStackProps extends StackProps {
  readonly stage: string;
  readonly data: DataStack;
  readonly events: EventsStack;
  readonly limits: FacetConfig['api'];
  readonly logRetention: RetentionDays;
}

/**
 * The API: the REST API shell, the clients authorizer, and every route of the wiring, each with its own function
 * holding exactly the access declared in route-access.ts.
 */
export class ApiStack extends Stack {
  public readonly rest: FacetRestApi;
  public readonly clientsAuthorizer: ClientsAuthorizer;
  public readonly routeFunctions: ReadonlyMap<RouteFn, FacetFunction<RouteFn>>;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    importProvidersStrongly(this);
    const { data, events } = props;

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

    /** What each audience with routes requires at the gateway (a new audience must be decided here). */
    const audienceMethodOptions: {
      readonly [A in (typeof routes)[number]['audience']]: { options: MethodOptions; headers: readonly string[] };
    } = {
      clients: {
        options: { authorizer: this.clientsAuthorizer.authorizer, apiKeyRequired: true },
        headers: [this.clientsAuthorizer.identityHeader],
      },
      public: { options: {}, headers: [] },
    };

    const webhookQueue = events.queueOf('webhookNotifications');
    /** Each handler gets the variables of its env contract and nothing else. */
    const routeEnvironment = (access: RouteAccess): Record<string, string> => {
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
      if (route.audience === 'public') acknowledge(method, 'publicDocumentation');
    }
    this.routeFunctions = functions;
    acknowledge(this.rest.api, 'apiKeyAuthorizer');

    new CfnOutput(this, 'ApiUrl', { value: this.rest.api.url });
    new CfnOutput(this, 'UsagePlanId', { value: this.rest.usagePlan.usagePlanId });
  }
}
