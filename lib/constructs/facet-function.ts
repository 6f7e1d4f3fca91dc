import { join } from 'node:path';
import { type FunctionEnvInput, type FunctionName, functionEnv } from '@facet/contracts/env';
import { wiringTags } from '@facet/wiring/views';
import { Duration, Tags, Token } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  ApplicationLogLevel,
  Architecture,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { type AcknowledgementKey, acknowledge } from '../nag.ts';
import { repoRoot } from '../paths.ts';

/** How the function is invoked decides which acknowledgements of the async-failure rules apply. */
export type InvocationKind = 'api' | 'authorizer' | 'sqs' | 'stream';

export interface FacetFunctionProps<F extends FunctionName> {
  /** Logical name from the wiring declaration; selects the env schema. */
  readonly fn: F;
  /** Handler module relative to the repository root; it exports `handler`. */
  readonly entry: string;
  /** Typed by the function's zod schema: a missing variable is a compile error, a wrong value fails at synth. */
  readonly environment: FunctionEnvInput<F>;
  readonly invocation: InvocationKind;
  readonly logRetention: RetentionDays;
  readonly memorySize?: number;
  readonly timeout?: Duration;
  /** POWERTOOLS_SERVICE_NAME; defaults to the audience folder of the entry (`clients`, `events`). */
  readonly serviceName?: string;
  /** Files (repository-relative) copied next to the bundle, for handlers that serve them (the docs page). */
  readonly assets?: readonly string[];
}

/**
 * The house Lambda: Node 22 on ARM64, ESM bundle with the AWS SDK inside and source maps, JSON logs into an
 * explicit log group with retention, active X-Ray tracing, and its own role that starts with nothing but its log
 * group. Grants are added by the stack that knows what the function touches.
 */
export class FacetFunction<F extends FunctionName> extends Construct {
  public readonly function: NodejsFunction;
  public readonly logGroup: LogGroup;
  public readonly role: Role;

  constructor(scope: Construct, id: string, props: FacetFunctionProps<F>) {
    super(scope, id);
    const environment = validatedEnvironment(props.fn, props.environment);

    this.logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.fn}`,
    });
    // Only its own log group: no AWSLambdaBasicExecutionRole (which allows every log group in the account).
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    this.function = new NodejsFunction(this, 'Function', {
      entry: join(repoRoot, props.entry),
      handler: 'handler',
      projectRoot: repoRoot,
      depsLockFilePath: join(repoRoot, 'package-lock.json'),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.WARN,
      tracing: Tracing.ACTIVE,
      environment: {
        ...environment,
        POWERTOOLS_SERVICE_NAME: props.serviceName ?? audienceOf(props.entry),
        POWERTOOLS_METRICS_NAMESPACE: 'Facet',
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        bundleAwsSDK: true,
        mainFields: ['module', 'main'],
        tsconfig: join(repoRoot, 'tsconfig.json'),
        // CommonJS dependencies inside an ESM bundle still call require().
        banner:
          "import { createRequire as __cjsRequire } from 'node:module'; const require = __cjsRequire(import.meta.url);",
        ...(props.assets?.length
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (inputDir: string, outputDir: string) =>
                  (props.assets ?? []).map((a) => `cp "${join(inputDir, a)}" "${outputDir}/"`),
              },
            }
          : {}),
      },
    });

    Tags.of(this.function).add(wiringTags.fn, props.fn);
    acknowledge(this.role, props.invocation === 'stream' ? 'xrayTracingAndStreamList' : 'xrayTracing');
    acknowledge(this.function, 'nodeRuntimePinned');
    acknowledge(this.function, consumerFailures[props.invocation]);
  }
}

/** Where failed invocations of each kind go, which decides how Serverless-LambdaDLQ is answered. */
const consumerFailures = {
  api: 'synchronousInvocation',
  authorizer: 'synchronousInvocation',
  sqs: 'sqsConsumerFailures',
  stream: 'streamConsumerFailures',
} as const satisfies Record<InvocationKind, AcknowledgementKey>;

function audienceOf(entry: string): string {
  return entry.split('/').at(-2) ?? 'facet';
}

/**
 * Checks the environment against the same schema the handler parses at cold start. Tokens (ARNs, names resolved
 * at deploy time) are checked with a placeholder in their place (a URL built from a region token is still a URL), so
 * only the literal parts can fail here, and they fail at synth.
 */
function validatedEnvironment<F extends FunctionName>(fn: F, input: FunctionEnvInput<F>): Record<string, string> {
  const entries = Object.entries(input as Record<string, unknown>).filter(([, v]) => v !== undefined);
  const environment = Object.fromEntries(
    entries.map(([k, v]) => [k, Token.isUnresolved(v) ? (v as string) : String(v)]),
  );
  const placeholders = Object.fromEntries(
    Object.entries(environment).map(([k, v]) => [k, v.replace(/\$\{Token\[[^\]]+\]\}/g, 'token')]),
  );
  const parsed = functionEnv[fn].safeParse(placeholders);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Environment of ${fn} does not satisfy its contract: ${issues}`);
  }
  return environment;
}
