import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';

/**
 * Where an operations command acts: the local cloud of `npm start` (its fixed ports; the default) or a deployed
 * stage on AWS (`--aws --stage dev`, normal AWS credentials), whose names come from the stacks' outputs.
 */
export function useLocalCloud(): void {
  process.env.AWS_REGION ??= 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID ??= 'S3RVER';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'S3RVER';
  process.env.AWS_ENDPOINT_URL_DYNAMODB ??= 'http://127.0.0.1:4502';
  process.env.AWS_ENDPOINT_URL_SQS ??= 'http://127.0.0.1:4503';
}

/** The outputs of the stack `Facet-<stage>-<part>`. */
export async function stackOutputs(stage: string, part: string): Promise<Record<string, string>> {
  const name = `Facet-${stage}-${part}`;
  const { Stacks = [] } = await new CloudFormationClient({}).send(new DescribeStacksCommand({ StackName: name }));
  const outputs = Stacks[0]?.Outputs ?? [];
  return Object.fromEntries(outputs.map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']));
}
