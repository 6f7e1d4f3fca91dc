import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { AlarmTopic } from './alarm-topic.ts';
import { FacetAlarms } from './facet-alarms.ts';
import { FacetDashboard } from './facet-dashboard.ts';
import type { Observed } from './observed.ts';

export interface ObservabilityStackProps extends StackProps {
  readonly observed: Observed;
  readonly alarmEmail?: string;
}

/** Alarms, the alarm topic and the dashboard; holds no state, so it can be replaced freely. */
export class ObservabilityStack extends Stack {
  public readonly alarmTopic: AlarmTopic;
  public readonly alarms: FacetAlarms;
  public readonly dashboard: FacetDashboard;

  constructor(scope: Construct, id: string, props: ObservabilityStackProps) {
    super(scope, id, props);
    this.alarmTopic = new AlarmTopic(this, 'AlarmTopic', { email: props.alarmEmail });
    this.alarms = new FacetAlarms(this, 'Alarms', { observed: props.observed, topic: this.alarmTopic.topic });
    this.dashboard = new FacetDashboard(this, 'Dashboard', { observed: props.observed, alarms: this.alarms.all });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarmTopic.topic.topicArn });
  }
}
