import { type QueueName, queues, routes, subscriptions } from '@facet/wiring';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { MockIntegration, RestApi } from 'aws-cdk-lib/aws-apigateway';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Synthesized, synthFacet, testApp } from './synth.ts';
import { templateQueues, templateRoutes, templateSubscriptions } from './template-wiring.ts';

let synth: Synthesized;
beforeAll(() => {
  synth = synthFacet();
});

const all = () => Object.values(synth.templates);

describe('the synthesized app serves exactly the wiring declaration', () => {
  it('has exactly the declared routes (method + path), each integrated with its declared function', () => {
    const expected = routes
      .map((r) => ({ method: r.method, path: r.path, fn: r.fn }))
      .sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
    expect(templateRoutes(all())).toEqual(expected);
  });

  it('has exactly the declared SNS→SQS subscriptions with their filter policies, raw delivery on', () => {
    const expected = subscriptions
      .map((s) => ({
        topic: s.topic,
        queue: s.queue,
        eventTypes: 'eventTypes' in s ? [...s.eventTypes].sort() : undefined,
        rawMessageDelivery: true,
      }))
      .sort((a, b) => a.topic.localeCompare(b.topic) || a.queue.localeCompare(b.queue));
    expect(templateSubscriptions(all())).toEqual(expected);
  });
});

describe('the synthesized app has exactly the declared queues', () => {
  it('each with its visibility, its DLQ and maxReceiveCount', () => {
    const expected = (Object.keys(queues) as QueueName[])
      .map((queue) => ({
        queue,
        visibilityTimeoutSeconds: queues[queue].visibilityTimeoutSeconds,
        maxReceiveCount: queues[queue].maxReceiveCount,
        deadLetterQueueTagged: true,
      }))
      .sort((a, b) => a.queue.localeCompare(b.queue));
    expect(templateQueues(all())).toEqual(expected);
  });
});

describe('template readers', () => {
  it('see a route that is not in the wiring', () => {
    const stack = new Stack(testApp(), 'Extra');
    const api = new RestApi(stack, 'Api');
    api.root.resourceForPath('/v1/secret/{id}').addMethod('DELETE', new MockIntegration());
    expect(templateRoutes(Template.fromStack(stack))).toEqual([
      { method: 'DELETE', path: '/v1/secret/{id}', fn: undefined },
    ]);
  });
});
