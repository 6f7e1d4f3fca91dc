import type { Stage } from 'aws-cdk-lib/aws-apigateway';
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

export interface ApiFirewallProps {
  readonly stage: Stage;
  /** Prefix of the web ACL's CloudWatch metric names. */
  readonly metricPrefix: string;
  /** The header that carries a company's API key (the clients authorizer's identity source). */
  readonly apiKeyHeader: string;
  /** The rate rules' evaluation window: 60, 120, 300 or 600 s. */
  readonly windowSeconds: number;
  /** Requests one API key may send per window before WAF blocks that key (sized from its usage plan). */
  readonly keyLimitPerWindow: number;
  /** Requests one client IP may send per window, whatever keys it sends. */
  readonly ipLimitPerWindow: number;
}

/** AWS managed rule groups applied in order, each counted in CloudWatch under its own metric. */
const managedRuleGroups = [
  'AWSManagedRulesAmazonIpReputationList',
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
] as const;

/**
 * A regional WAF web ACL on the API stage: AWS IP-reputation, common and known-bad-inputs rule groups, then two rate
 * rules in front of the usage plans. The first counts per API key (the `x-api-key` header as a custom aggregation
 * key), with a limit sized from the plan, so a company is only ever blocked far above what its plan lets through;
 * requests without the header are not counted by it. The second counts per client IP with a looser limit, against
 * floods that send no key or a new made-up key per request (each of which would otherwise reach the authorizer).
 * A block is answered by the stage's WAF_FILTERED gateway response (429 problem+json, Retry-After = the window).
 * Optional per stage (`api.waf.enabled`), since a web ACL has a fixed monthly cost.
 */
export class ApiFirewall extends Construct {
  public readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: ApiFirewallProps) {
    super(scope, id);
    // No sampled requests: WAF would keep copies of whole requests, x-api-key header (a company's secret) included,
    // readable in the console; keys are stored hashed everywhere else (DESIGN.md §8). Metrics stay on.
    const visibility = (name: string) => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: false,
      metricName: `${props.metricPrefix}-${name}`,
    });
    const rateRule = (name: string, priority: number, statement: CfnWebACL.RateBasedStatementProperty) => ({
      name,
      priority,
      action: { block: {} },
      statement: { rateBasedStatement: statement },
      visibilityConfig: visibility(name),
    });
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('api'),
      rules: [
        ...managedRuleGroups.map((name, priority) => ({
          name,
          priority,
          overrideAction: { none: {} },
          statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
          visibilityConfig: visibility(name),
        })),
        rateRule('RateLimitPerApiKey', managedRuleGroups.length, {
          aggregateKeyType: 'CUSTOM_KEYS',
          customKeys: [{ header: { name: props.apiKeyHeader, textTransformations: [{ priority: 0, type: 'NONE' }] } }],
          evaluationWindowSec: props.windowSeconds,
          limit: props.keyLimitPerWindow,
        }),
        rateRule('RateLimitPerIp', managedRuleGroups.length + 1, {
          aggregateKeyType: 'IP',
          evaluationWindowSec: props.windowSeconds,
          limit: props.ipLimitPerWindow,
        }),
      ],
    });
    new CfnWebACLAssociation(this, 'Association', {
      resourceArn: props.stage.stageArn,
      webAclArn: this.webAcl.attrArn,
    });
  }
}
