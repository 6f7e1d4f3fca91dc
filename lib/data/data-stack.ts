import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { DataAccess } from './data-access.ts';
import { ModelsBucket } from './models-bucket.ts';
import { SingleTable } from './single-table.ts';

export interface DataStackProps extends StackProps {
  readonly retainData: boolean;
  readonly uploadOrigins: readonly string[];
  readonly logRetentionDays: number;
}

/** Stateful resources only, so stateless stacks can be replaced without touching data. */
export class DataStack extends Stack {
  public readonly table: SingleTable;
  public readonly models: ModelsBucket;
  public readonly access: DataAccess;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    this.table = new SingleTable(this, 'Main', { retain: props.retainData });
    this.models = new ModelsBucket(this, 'Models', {
      retain: props.retainData,
      uploadOrigins: props.uploadOrigins,
      accessLogDays: props.logRetentionDays,
    });
    this.access = new DataAccess(this, 'Access', {
      table: this.table.table,
      indexNames: this.table.indexNames,
      bucket: this.models.bucket,
    });
    new CfnOutput(this, 'TableName', { value: this.table.table.tableName });
    new CfnOutput(this, 'ModelsBucketName', { value: this.models.bucket.bucketName });
  }
}
