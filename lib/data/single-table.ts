import { tables } from '@facet/wiring';
import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

export interface SingleTableProps {
  readonly retain: boolean;
}

/**
 * The single table from `tables.main`: on-demand, point-in-time recovery, encrypted with the AWS-managed key,
 * TTL on the declared attribute, the declared stream (new images: the outbox publisher reads event items from it),
 * and the declared GSIs (all attributes projected).
 */
export class SingleTable extends Construct {
  public readonly table: Table;
  /** Index names from the wiring, for policies that must name each index ARN. */
  public readonly indexNames: readonly string[];

  constructor(scope: Construct, id: string, props: SingleTableProps) {
    super(scope, id);
    const decl = tables.main;
    this.table = new Table(this, 'Table', {
      partitionKey: { name: decl.partitionKey, type: AttributeType.STRING },
      sortKey: { name: decl.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: decl.ttlAttribute,
      // The outbox: new event items reach the publisher through the stream (wiring `streams.outbox`).
      stream: StreamViewType[decl.stream],
      deletionProtection: props.retain,
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    for (const index of decl.indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }
    this.indexNames = decl.indexes.map((i) => i.name);
  }
}
