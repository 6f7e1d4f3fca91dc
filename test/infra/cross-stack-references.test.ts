import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Synthesized, synthFacet } from './synth.ts';

/** Resource types whose replacement would leave a consumer pointing at something else: they must be imported. */
const providerTypes = new Set([
  'AWS::DynamoDB::Table',
  'AWS::S3::Bucket',
  'AWS::IAM::ManagedPolicy',
  'AWS::SNS::Topic',
  'AWS::SQS::Queue',
]);

type Json = Record<string, unknown>;

/** Every value of `key` anywhere in a template (e.g. every Fn::ImportValue). */
function valuesOf(node: unknown, key: string, found: unknown[] = []): unknown[] {
  if (Array.isArray(node)) for (const item of node) valuesOf(item, key, found);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node as Json)) {
      if (k === key) found.push(v);
      valuesOf(v, key, found);
    }
  }
  return found;
}

/** Export name → the logical id and type of the resource it exports, over all stacks. */
function exportedResources(templates: readonly Template[]): Map<string, { stack: number; type: string }> {
  const exports = new Map<string, { stack: number; type: string }>();
  templates.forEach((t, stack) => {
    const json = t.toJSON() as {
      Resources: Record<string, { Type: string }>;
      Outputs?: Record<string, { Value: Json; Export?: { Name: string } }>;
    };
    for (const output of Object.values(json.Outputs ?? {})) {
      if (!output.Export) continue;
      const ref = (output.Value.Ref ?? (output.Value['Fn::GetAtt'] as unknown[] | undefined)?.[0]) as string;
      exports.set(output.Export.Name, { stack, type: json.Resources[ref]?.Type ?? 'unknown' });
    }
  });
  return exports;
}

describe('cross-stack references', () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthFacet();
  });

  it('stacks that use a provider at run time import it strongly (no weak Fn::GetStackOutput)', () => {
    for (const name of ['events', 'calculation', 'api'] as const) {
      const json = synth.templates[name].toJSON();
      expect(valuesOf(json, 'Fn::GetStackOutput'), name).toEqual([]);
      expect(valuesOf(json, 'Fn::ImportValue').length, name).toBeGreaterThan(0);
    }
  });

  it('every import names a stateful provider of a stack deployed earlier (a replacement cannot go stale)', () => {
    const order = ['data', 'events', 'calculation', 'api', 'observability'] as const;
    const templates = order.map((name) => synth.templates[name]);
    const exports = exportedResources(templates);
    order.forEach((name, consumer) => {
      for (const imported of valuesOf(templates[consumer]?.toJSON(), 'Fn::ImportValue')) {
        const provider = exports.get(String(imported));
        expect(provider, `${name} imports ${String(imported)}`).toBeDefined();
        expect(providerTypes.has(provider?.type ?? ''), `${name} imports a ${provider?.type}`).toBe(true);
        expect(provider?.stack, `${name} imports from a later stack`).toBeLessThan(consumer);
      }
    });
    // CloudFormation refuses to delete Data or Events while a consumer imports them.
    const importers = (producer: string) =>
      order.filter((name) =>
        valuesOf(synth.templates[name].toJSON(), 'Fn::ImportValue').some((v) => String(v).startsWith(producer)),
      );
    expect(importers(synth.stacks.data.stackName)).toEqual(['events', 'calculation', 'api']);
    expect(importers(synth.stacks.events.stackName)).toEqual(expect.arrayContaining(['calculation', 'api']));
  });

  it('observability only watches: weak references, so removing a function or queue never waits for its alarms', () => {
    const json = synth.templates.observability.toJSON();
    expect(valuesOf(json, 'Fn::ImportValue')).toEqual([]);
    expect(valuesOf(json, 'Fn::GetStackOutput').length).toBeGreaterThan(0);
    const outputs = Object.values((json as { Outputs?: Record<string, { Export?: unknown }> }).Outputs ?? {});
    expect(outputs.filter((o) => o.Export)).toEqual([]);
  });

  it('deploys in dependency order: providers before their consumers', () => {
    const { data, events, calculation, api, observability } = synth.stacks;
    expect(events.dependencies).toContain(data);
    expect(calculation.dependencies).toEqual(expect.arrayContaining([data, events]));
    expect(api.dependencies).toEqual(expect.arrayContaining([data, events]));
    expect(observability.dependencies).toEqual(expect.arrayContaining([events, calculation, api]));
    expect(data.dependencies).toEqual([]);
  });
});
