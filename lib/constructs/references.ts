import { CrossStackReferences, ReferenceStrength, type Stack } from 'aws-cdk-lib';

/**
 * Call first in the constructor of a stack whose functions and tasks use another stack's resources at run time
 * (environment, policies, subscriptions): its references become CloudFormation imports. CloudFormation then refuses
 * to delete the providing stack (Data, Events) under it, and refuses to change an exported value (a replaced table,
 * topic or queue) while it still uses the old one, instead of leaving it with stale names and ARNs until it happens
 * to redeploy. The observability stack only watches and keeps cdk.json's weak default, so removing a function or a
 * queue never waits for its alarms (docs/adr/0003).
 */
export function importProvidersStrongly(stack: Stack): void {
  CrossStackReferences.of(stack).consume(ReferenceStrength.STRONG);
}
