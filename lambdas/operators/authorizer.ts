import { loadEnv, operatorsAuthorizerEnv } from '@facet/contracts';
import { JwtVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { logger } from '../shared/observability.ts';

const env = loadEnv(operatorsAuthorizerEnv);
const STAFF = ['operators', 'admins'];

/**
 * The JWKS is fetched with the platform's fetch: the same call for Cognito's https JWKS on AWS and the local
 * issuer's http one (the library's own fetcher speaks https only). Keys are cached per instance.
 */
const fetcher = {
  async fetch(uri: string): Promise<ArrayBuffer> {
    const res = await fetch(uri, { signal: AbortSignal.timeout(3000) });
    if (!res.ok) throw new Error(`JWKS ${uri}: HTTP ${res.status}`);
    return res.arrayBuffer();
  },
};

const verifier = JwtVerifier.create(
  {
    issuer: env.OPERATORS_ISSUER,
    audience: env.OPERATORS_CLIENT_ID,
    jwksUri: env.OPERATORS_JWKS_URI ?? `${env.OPERATORS_ISSUER}/.well-known/jwks.json`,
    // An ID token (it carries the email for the audit log); an access token has no audience and is refused.
    customJwtCheck: ({ payload }) => {
      if (payload.token_use !== 'id') throw new Error('not an ID token');
    },
  },
  { jwksCache: new SimpleJwksCache({ fetcher }) },
);

/**
 * The answer covers every route of the API's stage (`arn:…:{apiId}/{stage}/{method}/{path}` → `…/{stage}/*`): API
 * Gateway keeps it per token for the authorizer's cache time and applies it to each operators' route the token
 * calls (no other route has this authorizer). The admin-only routes check the role themselves.
 */
const policy = (effect: 'Allow' | 'Deny', methodArn: string) => ({
  Version: '2012-10-17',
  Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: `${methodArn.split('/', 2).join('/')}/*` }],
});

/**
 * REQUEST authorizer of the operators' audience: `Authorization: Bearer <ID token>` of the user pool, for its app
 * client, unexpired, signed by its keys. A missing, malformed, expired, forged or foreign token is 401 (sign in
 * again); a valid token of someone outside the `operators` and `admins` groups (a shop customer) is a Deny (403).
 * On Allow the operator travels in the context: sub, email, groups, role.
 */
export async function handler(event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
  const header = Object.entries(event.headers ?? {}).find(([k]) => k.toLowerCase() === 'authorization')?.[1];
  const token = /^Bearer ([A-Za-z0-9_=-]+\.[A-Za-z0-9_=-]+\.[A-Za-z0-9_=-]*)$/.exec(header ?? '')?.[1];
  if (!token) throw new Error('Unauthorized');
  let payload: Awaited<ReturnType<typeof verifier.verify>>;
  try {
    payload = await verifier.verify(token);
  } catch (error) {
    logger.info('operator token refused', { reason: (error as Error).message });
    throw new Error('Unauthorized');
  }
  const groups = Array.isArray(payload['cognito:groups']) ? payload['cognito:groups'].map(String) : [];
  const sub = String(payload.sub ?? '');
  if (!groups.some((g) => STAFF.includes(g))) {
    logger.info('not a member of the workshop', { sub, groups });
    return { principalId: sub || 'anonymous', policyDocument: policy('Deny', event.methodArn) };
  }
  return {
    principalId: sub,
    policyDocument: policy('Allow', event.methodArn),
    context: {
      sub,
      email: String(payload.email ?? ''),
      groups: groups.join(','),
      role: groups.includes('admins') ? 'admin' : 'operator',
    },
  };
}
