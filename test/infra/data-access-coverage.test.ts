import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../lib/paths.ts';
import { synthFacet } from './synth.ts';

/**
 * Locally nothing checks IAM (DynamoDB Local and the S3 emulator accept any call), so an adapter that starts using a
 * new SDK command works in every local test and fails with AccessDenied on AWS. Every DynamoDB and S3 command the
 * adapters import must map to an IAM action that the data plane's managed policies grant; a command missing from
 * this map fails the test until its action is decided (IAM service authorization reference).
 */
const iamActions: Record<string, readonly string[]> = {
  // @aws-sdk/lib-dynamodb (document client) and @aws-sdk/client-dynamodb
  GetCommand: ['dynamodb:GetItem'],
  GetItemCommand: ['dynamodb:GetItem'],
  PutCommand: ['dynamodb:PutItem'],
  PutItemCommand: ['dynamodb:PutItem'],
  UpdateCommand: ['dynamodb:UpdateItem'],
  UpdateItemCommand: ['dynamodb:UpdateItem'],
  DeleteCommand: ['dynamodb:DeleteItem'],
  DeleteItemCommand: ['dynamodb:DeleteItem'],
  QueryCommand: ['dynamodb:Query'],
  ScanCommand: ['dynamodb:Scan'],
  BatchGetCommand: ['dynamodb:BatchGetItem'],
  BatchWriteCommand: ['dynamodb:BatchWriteItem'],
  // A transaction is authorized item by item, on the action of each item.
  TransactGetCommand: ['dynamodb:GetItem'],
  TransactWriteCommand: [
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:ConditionCheckItem',
  ],
  // @aws-sdk/client-s3 (also what a presigned URL of the command needs from the signing role)
  GetObjectCommand: ['s3:GetObject'],
  HeadObjectCommand: ['s3:GetObject'],
  PutObjectCommand: ['s3:PutObject'],
  CreateMultipartUploadCommand: ['s3:PutObject'],
  UploadPartCommand: ['s3:PutObject'],
  CompleteMultipartUploadCommand: ['s3:PutObject'],
  ListPartsCommand: ['s3:ListMultipartUploadParts'],
  AbortMultipartUploadCommand: ['s3:AbortMultipartUpload'],
  DeleteObjectCommand: ['s3:DeleteObject'],
  CopyObjectCommand: ['s3:GetObject', 's3:PutObject'],
};

/**
 * Commands only operators' tools run (packages/cli, with the operator's own credentials), never a deployed role.
 * A function that starts calling one needs the grant (or, better, a query on an index): remove it from here then.
 */
const toolsOnly: Record<string, string> = {};

const dataPlaneSdks = ['@aws-sdk/lib-dynamodb', '@aws-sdk/client-dynamodb', '@aws-sdk/client-s3'];

/** `XCommand` names imported from the data-plane SDKs by the adapters (deployed code reaches AWS only through them). */
function importedCommands(): Map<string, string[]> {
  const dir = join(repoRoot, 'packages/adapters/src');
  const used = new Map<string, string[]>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
    const source = readFileSync(join(dir, file), 'utf8');
    for (const match of source.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'([^']+)'/g)) {
      if (!dataPlaneSdks.includes(match[2] ?? '')) continue;
      for (const name of (match[1] ?? '').split(',').map((n) => n.trim().replace(/^type\s+/, ''))) {
        if (/^[A-Z]\w*Command$/.test(name)) used.set(name, [...(used.get(name) ?? []), file]);
      }
    }
  }
  return used;
}

describe('data-plane IAM covers what the adapters call', () => {
  let granted: Set<string>;
  beforeAll(() => {
    const data = synthFacet().templates.data;
    granted = new Set(
      Object.values(data.findResources('AWS::IAM::ManagedPolicy')).flatMap((p) =>
        (p.Properties.PolicyDocument.Statement as { Action: string | string[] }[]).flatMap((s) => [s.Action].flat()),
      ),
    );
  });

  it('finds the adapters’ commands', () => {
    const used = importedCommands();
    expect(used.has('GetCommand')).toBe(true);
    expect(used.has('CreateMultipartUploadCommand')).toBe(true);
    // The tools-only list stays true: each entry is still imported, and still not granted to any role.
    for (const command of Object.keys(toolsOnly)) {
      expect(used.has(command), command).toBe(true);
      for (const action of iamActions[command] ?? []) expect(granted.has(action), action).toBe(false);
    }
  });

  it('maps every imported command to actions the data access policies grant', () => {
    const problems: string[] = [];
    for (const [command, files] of importedCommands()) {
      if (command in toolsOnly) continue;
      const actions = iamActions[command];
      if (!actions) {
        problems.push(`${command} (${files.join(', ')}): decide its IAM action in this test and grant it`);
        continue;
      }
      for (const action of actions) {
        if (!granted.has(action)) problems.push(`${command} (${files.join(', ')}) needs ${action}: not granted`);
      }
    }
    expect(problems).toEqual([]);
  });
});
