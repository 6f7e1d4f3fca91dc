import type { Template } from 'aws-cdk-lib/assertions';

/**
 * Pure readers of synthesized CloudFormation: which routes and which SNS→SQS subscriptions a template really
 * serves, named with the wiring's names (resolved through the `facet:*` tags from packages/wiring/src/views.ts). The local
 * cloud's router can be compared against the same shapes.
 */

export interface TemplateRoute {
  readonly method: string;
  /** API Gateway path syntax, e.g. `/v1/orders/{orderId}`. */
  readonly path: string;
  /** The `facet:fn` tag of the integrated function, when the integration is a Lambda proxy. */
  readonly fn: string | undefined;
}

export interface TemplateQueue {
  readonly queue: string;
  readonly visibilityTimeoutSeconds: number | undefined;
  /** maxReceiveCount of the redrive policy; undefined when the queue has no DLQ. */
  readonly maxReceiveCount: number | undefined;
  /** Whether the redrive target is the DLQ tagged as this queue's dead-letter queue. */
  readonly deadLetterQueueTagged: boolean;
}

export interface TemplateSubscription {
  readonly topic: string;
  readonly queue: string;
  /** Allowed values of the `type` message attribute; undefined when the subscription has no filter policy. */
  readonly eventTypes: readonly string[] | undefined;
  readonly rawMessageDelivery: boolean;
}

type Json = Record<string, unknown>;
type Resources = Record<string, { Type: string; Properties?: Json }>;

type Outputs = Record<string, { Value: unknown; Export?: { Name: string } }>;

const listOf = (templates: Template | readonly Template[]) =>
  (Array.isArray(templates) ? templates : [templates as Template]).map(
    (t) => t.toJSON() as { Resources?: Resources; Outputs?: Outputs },
  );

function resourcesOf(templates: Template | readonly Template[]): Resources {
  return Object.assign({}, ...listOf(templates).map((t) => t.Resources ?? {}));
}

type Exports = ReadonlyMap<string, unknown>;

/** Export name → exported value, over all the templates given (strong cross-stack references import these). */
function exportsOf(templates: Template | readonly Template[]): Exports {
  return new Map(
    listOf(templates).flatMap((t) =>
      Object.values(t.Outputs ?? {}).flatMap((o) => (o.Export ? [[o.Export.Name, o.Value] as const] : [])),
    ),
  );
}

/**
 * Logical id behind `{ Ref }` or `{ Fn::GetAtt: [id, attr] }`, also through `{ Fn::ImportValue }` of another
 * template's export (logical ids are unique across Facet's stacks); undefined for anything else.
 */
function referencedId(value: unknown, exported: Exports = new Map()): string | undefined {
  if (value && typeof value === 'object') {
    const v = value as Json;
    if (typeof v.Ref === 'string') return v.Ref;
    const getAtt = v['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
    const imported = v['Fn::ImportValue'];
    if (typeof imported === 'string' && exported.has(imported)) return referencedId(exported.get(imported), exported);
  }
  return undefined;
}

function tagOf(resource: { Properties?: Json } | undefined, key: string): string | undefined {
  const tags = resource?.Properties?.Tags;
  if (Array.isArray(tags)) {
    return (tags as { Key: string; Value: string }[]).find((t) => t.Key === key)?.Value;
  }
  return undefined;
}

/** Every API Gateway method (CORS preflight `OPTIONS` excluded), sorted by path then method. */
export function templateRoutes(templates: Template | readonly Template[]): TemplateRoute[] {
  const resources = resourcesOf(templates);
  const exported = exportsOf(templates);
  const pathOf = (resourceId: unknown): string => {
    const id = referencedId(resourceId, exported);
    const resource = id ? resources[id] : undefined;
    // The root resource is referenced as GetAtt RestApi.RootResourceId.
    if (resource?.Type !== 'AWS::ApiGateway::Resource') return '';
    return `${pathOf(resource.Properties?.ParentId)}/${String(resource.Properties?.PathPart)}`;
  };
  const routes: TemplateRoute[] = [];
  for (const resource of Object.values(resources)) {
    if (resource.Type !== 'AWS::ApiGateway::Method') continue;
    const method = String(resource.Properties?.HttpMethod);
    if (method === 'OPTIONS') continue;
    routes.push({
      method,
      path: pathOf(resource.Properties?.ResourceId) || '/',
      fn: integratedFunction(resource, resources),
    });
  }
  return routes.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}

function integratedFunction(method: { Properties?: Json }, resources: Resources): string | undefined {
  const uri = (method.Properties?.Integration as Json | undefined)?.Uri;
  // A Lambda proxy URI is Fn::Join of pieces, one of them GetAtt <Function>.Arn.
  const pieces = (uri as Json | undefined)?.['Fn::Join'];
  const parts = Array.isArray(pieces) && Array.isArray(pieces[1]) ? (pieces[1] as unknown[]) : [];
  for (const part of parts) {
    const id = referencedId(part);
    if (id && resources[id]?.Type === 'AWS::Lambda::Function') return tagOf(resources[id], 'facet:fn');
  }
  return undefined;
}

/** Every SNS subscription with an SQS endpoint, sorted by topic then queue. */
export function templateSubscriptions(templates: Template | readonly Template[]): TemplateSubscription[] {
  const resources = resourcesOf(templates);
  const exported = exportsOf(templates);
  const subs: TemplateSubscription[] = [];
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::SNS::Subscription' || resource.Properties?.Protocol !== 'sqs') continue;
    const topicId = referencedId(resource.Properties.TopicArn, exported);
    const queueId = referencedId(resource.Properties.Endpoint, exported);
    const topic = topicId ? tagOf(resources[topicId], 'facet:topic') : undefined;
    const queue = queueId ? tagOf(resources[queueId], 'facet:queue') : undefined;
    if (!topic || !queue) throw new Error(`Subscription ${logicalId} does not reference a tagged topic and queue`);
    const filter = resource.Properties.FilterPolicy as { type?: unknown } | undefined;
    subs.push({
      topic,
      queue,
      eventTypes: filter ? allowedStrings(filter.type) : undefined,
      rawMessageDelivery: resource.Properties.RawMessageDelivery === true,
    });
  }
  return subs.sort((a, b) => a.topic.localeCompare(b.topic) || a.queue.localeCompare(b.queue));
}

function allowedStrings(condition: unknown): readonly string[] {
  if (!Array.isArray(condition) || !condition.every((c) => typeof c === 'string')) {
    throw new Error(`Filter policy on "type" is not a plain allow-list: ${JSON.stringify(condition)}`);
  }
  return [...condition].sort();
}

/** Every queue tagged with a wiring name, with its visibility and redrive settings, sorted by name. */
export function templateQueues(templates: Template | readonly Template[]): TemplateQueue[] {
  const resources = resourcesOf(templates);
  const exported = exportsOf(templates);
  const result: TemplateQueue[] = [];
  for (const resource of Object.values(resources)) {
    if (resource.Type !== 'AWS::SQS::Queue') continue;
    const queue = tagOf(resource, 'facet:queue');
    if (!queue) continue;
    const redrive = resource.Properties?.RedrivePolicy as
      | { deadLetterTargetArn?: unknown; maxReceiveCount?: number }
      | undefined;
    const dlqId = referencedId(redrive?.deadLetterTargetArn, exported);
    result.push({
      queue,
      visibilityTimeoutSeconds: resource.Properties?.VisibilityTimeout as number | undefined,
      maxReceiveCount: redrive?.maxReceiveCount,
      deadLetterQueueTagged: dlqId !== undefined && tagOf(resources[dlqId], 'facet:dead-letter-of') === queue,
    });
  }
  return result.sort((a, b) => a.queue.localeCompare(b.queue));
}
