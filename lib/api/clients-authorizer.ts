import { authorizers } from '@facet/wiring';
import { Duration } from 'aws-cdk-lib';
import { IdentitySource, RequestAuthorizer } from 'aws-cdk-lib/aws-apigateway';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { FacetFunction } from '../constructs/facet-function.ts';
import { attachDataAccess, type DataAccess } from '../data/data-access.ts';

export interface ClientsAuthorizerProps {
  readonly tableName: string;
  readonly access: DataAccess;
  readonly logRetention: RetentionDays;
}

/**
 * The clients audience's Lambda REQUEST authorizer (`authorizers.clients`): identity from the `x-api-key` header,
 * the function reads the (hashed) key from the table and returns the tenant in its context and the key as usage
 * identifier. Results are not cached: the returned policy names the one method ARN it was asked about.
 */
export class ClientsAuthorizer extends Construct {
  public readonly fn: FacetFunction<'ClientsAuthorizer'>;
  public readonly authorizer: RequestAuthorizer;
  public readonly identityHeader = authorizers.clients.identityHeader;

  constructor(scope: Construct, id: string, props: ClientsAuthorizerProps) {
    super(scope, id);
    const decl = authorizers.clients;
    this.fn = new FacetFunction(this, decl.fn, {
      fn: decl.fn,
      entry: decl.entry,
      environment: { TABLE_NAME: props.tableName },
      invocation: 'authorizer',
      logRetention: props.logRetention,
      memorySize: 256,
      timeout: Duration.seconds(5),
    });
    attachDataAccess(this.fn.role, props.access, { table: 'read' });
    this.authorizer = new RequestAuthorizer(this, 'Authorizer', {
      handler: this.fn.function,
      identitySources: [IdentitySource.header(decl.identityHeader)],
      resultsCacheTtl: Duration.seconds(decl.cacheSeconds),
    });
  }
}
