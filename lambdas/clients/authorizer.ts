import { tenantStore } from '@facet/adapters';
import { clientsAuthorizerEnv, loadEnv } from '@facet/contracts';
import { hashApiKey } from '@facet/domain/tenants';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { logger } from '../shared/observability.ts';

const env = loadEnv(clientsAuthorizerEnv);
const tenants = tenantStore(env.TABLE_NAME);

/**
 * REQUEST authorizer of the clients audience. A missing key is 401 ("Unauthorized" is API Gateway's contract for
 * that), an unknown or revoked key is an explicit Deny (403). On Allow, the tenant travels in the context and the
 * key itself becomes the usage identifier, so the company's usage plan applies.
 */
export async function handler(event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
  const key = Object.entries(event.headers ?? {}).find(([k]) => k.toLowerCase() === 'x-api-key')?.[1];
  if (!key) throw new Error('Unauthorized');
  const record = await tenants.findApiKey(hashApiKey(key));
  const allowed = record?.status === 'active';
  logger.info('api key checked', { keyId: record?.keyId, allowed });
  return {
    principalId: record?.keyId ?? 'anonymous',
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: allowed ? 'Allow' : 'Deny', Resource: event.methodArn }],
    },
    ...(allowed && record
      ? {
          context: {
            tenantId: record.tenantId,
            keyId: record.keyId,
            keyKind: record.kind ?? 'live',
            // The usage plan's id for this key: API Gateway's key id on AWS; our key id where none was registered.
            usageKeyId: record.gatewayKeyId ?? record.keyId,
          },
          usageIdentifierKey: key,
        }
      : {}),
  };
}
