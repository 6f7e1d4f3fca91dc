import { type App, type Environment, Tags, Validations } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { ApiStack } from './api/api-stack.ts';
import { CalculationStack } from './calculation/calculation-stack.ts';
import type { FacetConfig } from './config.ts';
import { DataStack } from './data/data-stack.ts';
import { EventsStack } from './events/events-stack.ts';
import { ObservabilityStack } from './observability/observability-stack.ts';

export interface FacetStacks {
  readonly data: DataStack;
  readonly events: EventsStack;
  readonly calculation: CalculationStack;
  readonly api: ApiStack;
  readonly observability: ObservabilityStack;
}

const retention: Record<FacetConfig['logRetentionDays'], RetentionDays> = {
  7: RetentionDays.ONE_WEEK,
  14: RetentionDays.TWO_WEEKS,
  30: RetentionDays.ONE_MONTH,
  90: RetentionDays.THREE_MONTHS,
  180: RetentionDays.SIX_MONTHS,
  365: RetentionDays.ONE_YEAR,
};

/**
 * The five stacks in dependency order: data (stateful) ← events (topic, outbox publisher, notifiers) ← calculation
 * and api, and observability watching all of them. Stack names carry the stage; no resource has a hard-coded physical name.
 */
export function createFacet(app: App, config: FacetConfig): FacetStacks {
  const env: Environment | undefined =
    config.account || config.region ? { account: config.account, region: config.region } : undefined;
  const name = (part: string) => `Facet-${config.stage}-${part}`;
  const logRetention = retention[config.logRetentionDays];

  const data = new DataStack(app, name('Data'), {
    env,
    description: 'Facet data: single DynamoDB table and the models bucket',
    retainData: config.retainData,
    uploadOrigins: config.uploadOrigins,
    logRetentionDays: config.logRetentionDays,
  });
  const events = new EventsStack(app, name('Events'), {
    env,
    description: 'Facet events: order-events topic, notifier queues and functions',
    data,
    mailFrom: config.mailFrom,
    logRetention,
  });
  const calculation = new CalculationStack(app, name('Calculation'), {
    env,
    description: 'Facet calculation: jobs queue and the Fargate calculator',
    data,
    events,
    worker: config.worker,
    logRetention,
  });
  const api = new ApiStack(app, name('Api'), {
    env,
    description: 'Facet API: REST API, authorizer, usage plan, route handlers',
    stage: config.stage,
    data,
    events,
    calculation,
    retainData: config.retainData,
    logRetentionDays: config.logRetentionDays,
    limits: config.api,
    logRetention,
  });
  const observability = new ObservabilityStack(app, name('Observability'), {
    env,
    description: 'Facet observability: alarms, alarm topic, dashboard',
    alarmEmail: config.alarmEmail,
    observed: {
      api: api.rest.api,
      functions: [
        { name: api.clientsAuthorizer.fn.node.id, fn: api.clientsAuthorizer.fn.function },
        { name: api.operatorsIdentity.fn.node.id, fn: api.operatorsIdentity.fn.function },
        ...[...api.routeFunctions].map(([name, f]) => ({ name, fn: f.function })),
        ...events.notifiers.map((n) => ({ name: n.fn.node.id, fn: n.fn.function })),
        { name: events.outbox.fn.node.id, fn: events.outbox.fn.function },
      ],
      queues: [
        {
          name: calculation.jobs.name,
          queue: calculation.jobs.queue,
          deadLetterQueue: calculation.jobs.deadLetterQueue,
        },
        ...events.notifiers.map((n) => ({
          name: n.queue.name,
          queue: n.queue.queue,
          deadLetterQueue: n.queue.deadLetterQueue,
        })),
      ],
      otherDeadLetterQueues: [{ name: 'SubscriptionDelivery', queue: events.deliveryFailures }],
      jobs: calculation.jobs.queue,
      outbox: { fn: events.outbox.fn.function, failures: events.outbox.failures },
      calculator: calculation.calculator,
    },
  });

  Tags.of(app).add('app', 'facet');
  Tags.of(app).add('stage', config.stage);
  return { data, events, calculation, api, observability };
}

/** cdk-nag v3: both packs run as CDK policy-validation plugins at synth; acknowledgements live in lib/nag.ts. */
export function applyNagPacks(app: App): { awsSolutions: AwsSolutionsChecks; serverless: ServerlessChecks } {
  const awsSolutions = new AwsSolutionsChecks(app, { verbose: true });
  const serverless = new ServerlessChecks(app, { verbose: true });
  Validations.of(app).addPlugins(awsSolutions, serverless);
  return { awsSolutions, serverless };
}
