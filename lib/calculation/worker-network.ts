import {
  FlowLogDestination,
  FlowLogTrafficType,
  Peer,
  Port,
  SecurityGroup,
  SubnetType,
  Vpc,
} from 'aws-cdk-lib/aws-ec2';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface WorkerNetworkProps {
  readonly logRetention: RetentionDays;
}

/**
 * The workers' network, cost-aware: two AZs of public subnets only, no NAT gateway and no interface endpoints.
 * Tasks get a public IP for outbound calls to SQS, S3, DynamoDB, SNS, ECR and Logs; their security group has no
 * inbound rule at all. Rejected traffic is flow-logged.
 */
export class WorkerNetwork extends Construct {
  public readonly vpc: Vpc;
  public readonly securityGroup: SecurityGroup;
  public readonly flowLogs: LogGroup;

  constructor(scope: Construct, id: string, props: WorkerNetworkProps) {
    super(scope, id);
    this.vpc = new Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'public', subnetType: SubnetType.PUBLIC, cidrMask: 24 }],
      // Avoids the custom-resource Lambda that strips the default group; nothing is ever placed in it.
      restrictDefaultSecurityGroup: false,
    });
    this.flowLogs = new LogGroup(this, 'FlowLogs', { retention: props.logRetention });
    this.vpc.addFlowLog('Rejected', {
      destination: FlowLogDestination.toCloudWatchLogs(this.flowLogs),
      trafficType: FlowLogTrafficType.REJECT,
    });
    this.securityGroup = new SecurityGroup(this, 'Workers', {
      vpc: this.vpc,
      description: 'Calculator tasks: no inbound, outbound HTTPS to AWS APIs',
      allowAllOutbound: false,
    });
    this.securityGroup.addEgressRule(Peer.anyIpv4(), Port.tcp(443), 'HTTPS to public AWS endpoints');
  }
}
