import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { type IManagedPolicy, type IRole, ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeWildcardResource } from '../nag.ts';
import { modelsKeyPrefix } from './models-bucket.ts';

export interface DataAccessProps {
  readonly table: Table;
  readonly indexNames: readonly string[];
  readonly bucket: Bucket;
}

const tableReadActions = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'];
const tableWriteActions = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

/**
 * Least-privilege access to the data plane as customer-managed policies owned by the data stack. Consumers in
 * other stacks attach what they need; the policy ARNs never change when statements do, so adding an action never
 * touches a cross-stack export. Actions are listed (no `dynamodb:*`), the table and each index are named, and
 * object access is limited to the tenants/ prefix.
 */
export class DataAccess extends Construct {
  public readonly tableRead: IManagedPolicy;
  public readonly tableReadWrite: IManagedPolicy;
  public readonly modelsRead: IManagedPolicy;
  public readonly modelsWrite: IManagedPolicy;

  constructor(scope: Construct, id: string, props: DataAccessProps) {
    super(scope, id);
    const tableResources = [props.table.tableArn, ...props.indexNames.map((n) => `${props.table.tableArn}/index/${n}`)];
    const objects = props.bucket.arnForObjects(`${modelsKeyPrefix}*`);

    this.tableRead = new ManagedPolicy(this, 'TableRead', {
      description: 'Read items of the Facet table and its indexes',
      statements: [new PolicyStatement({ actions: tableReadActions, resources: tableResources })],
    });
    this.tableReadWrite = new ManagedPolicy(this, 'TableReadWrite', {
      description: 'Read and write items of the Facet table and its indexes',
      statements: [
        new PolicyStatement({ actions: [...tableReadActions, ...tableWriteActions], resources: tableResources }),
      ],
    });
    const modelsRead = new ManagedPolicy(this, 'ModelsRead', {
      description: 'Read objects under tenants/ in the models bucket (also signs GET links)',
      statements: [new PolicyStatement({ actions: ['s3:GetObject'], resources: [objects] })],
    });
    const modelsWrite = new ManagedPolicy(this, 'ModelsWrite', {
      description:
        'Write objects under tenants/ in the models bucket (PutObject also covers multipart uploads and signs part URLs; ListMultipartUploadParts lets an interrupted upload resume)',
      statements: [
        new PolicyStatement({ actions: ['s3:PutObject', 's3:ListMultipartUploadParts'], resources: [objects] }),
      ],
    });
    acknowledgeWildcardResource(modelsRead, 'modelsObjectPrefix', objects);
    acknowledgeWildcardResource(modelsWrite, 'modelsObjectPrefix', objects);
    this.modelsRead = modelsRead;
    this.modelsWrite = modelsWrite;
  }
}

/** What a consumer needs from the data plane; each function and the worker declare it once. */
export interface DataNeeds {
  readonly table?: 'read' | 'readWrite';
  readonly models?: 'read' | 'write' | 'readWrite';
}

export function attachDataAccess(role: IRole, access: DataAccess, needs: DataNeeds): void {
  if (needs.table === 'read') role.addManagedPolicy(access.tableRead);
  if (needs.table === 'readWrite') role.addManagedPolicy(access.tableReadWrite);
  if (needs.models === 'read' || needs.models === 'readWrite') role.addManagedPolicy(access.modelsRead);
  if (needs.models === 'write' || needs.models === 'readWrite') role.addManagedPolicy(access.modelsWrite);
}
