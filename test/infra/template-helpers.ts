import type { Template } from 'aws-cdk-lib/assertions';
import { expect } from 'vitest';

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation properties are untyped JSON.
export type CfnResource = { Properties: Record<string, any> };

export interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: unknown;
}

/** The one resource of a type carrying a wiring tag (packages/wiring/src/views.ts `wiringTags`). */
export function tagged(template: Template, type: string, key: string, value: string): [string, CfnResource] {
  const found = Object.entries(template.findResources(type)).filter(([, r]) =>
    (r.Properties?.Tags ?? []).some((t: { Key: string; Value: string }) => t.Key === key && t.Value === value),
  );
  expect(found, `${type} tagged ${key}=${value}`).toHaveLength(1);
  return found[0] as [string, CfnResource];
}

/** Logical id of the execution role of a function. */
export function roleOfFunction(fn: CfnResource): string {
  return fn.Properties.Role['Fn::GetAtt'][0];
}

/** Every statement of the inline policies attached to a role (its DefaultPolicy and any other). */
export function statementsOfRole(template: Template, roleId: string): Statement[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => (p.Properties.Roles ?? []).some((r: { Ref?: string }) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
}

export function actionsOf(statements: readonly Statement[]): string[] {
  return statements.flatMap((s) => [s.Action].flat()).sort();
}

/** Export names of the data-access managed policies a role attaches (imported from the data stack). */
export function managedPoliciesOfRole(template: Template, roleId: string): string[] {
  const role = template.findResources('AWS::IAM::Role')[roleId];
  return (role?.Properties.ManagedPolicyArns ?? []).map((arn: unknown) => JSON.stringify(arn));
}
