import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type Audience, authorizers, binaryMediaTypes, firstAcceptType, routes } from '@facet/wiring';
import type {
  APIGatewayAuthorizerResult,
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  APIGatewayRequestAuthorizerEvent,
} from 'aws-lambda';
import { problemBody } from '../../lambdas/shared/problem.ts';
import { AuthorizerCache, policyAllows } from './authorizer-cache.ts';
import { InvocationError, type LambdaHost } from './lambda-host.ts';
import type { LocalUsagePlan } from './usage-plan.ts';

interface CompiledRoute {
  readonly method: string;
  readonly resource: string;
  readonly pattern: RegExp;
  readonly names: string[];
  readonly audience: Audience;
  readonly fn: string;
  readonly entry: string;
}

/** The local API Gateway: the same routes as the CDK RestApi (both read the wiring), the same handler modules. */
export async function startGateway(
  host: LambdaHost,
  port: number,
  usagePlan: LocalUsagePlan,
): Promise<{ url: string; server: Server; routeTable: { method: string; path: string; fn: string }[] }> {
  const compiled: CompiledRoute[] = [];
  for (const r of routes) {
    const names: string[] = [];
    const source = r.path.replace(/\{(\w+)\}/g, (_, n: string) => {
      names.push(n);
      return '([^/]+)';
    });
    compiled.push({
      method: r.method,
      resource: r.path,
      pattern: new RegExp(`^${source}$`),
      names,
      audience: r.audience,
      fn: r.fn,
      entry: r.entry,
    });
  }
  const cache = new AuthorizerCache();
  /** The audience's authorizer on this request, or its answer for the same identity while API Gateway keeps it. */
  const authorize = async (audience: keyof typeof authorizers, event: APIGatewayRequestAuthorizerEvent) => {
    const decl = authorizers[audience];
    const identity = `${audience}\n${event.headers?.[decl.identityHeader]}`;
    const kept = cache.get(identity);
    if (kept) return kept;
    const result = await host.invoke<APIGatewayAuthorizerResult>(decl.entry, decl.fn, event);
    cache.set(identity, result, decl.cacheSeconds);
    return result;
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      console.error('[gateway] unexpected', error);
      send(res, {
        statusCode: 502,
        headers: { 'content-type': 'application/problem+json' },
        body: JSON.stringify(problemBody('internal', 'The local gateway failed.')),
      });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'OPTIONS') return send(res, { statusCode: 204, headers: {}, body: '' });
    if (usagePlan.serveControlPlane(req, res, url)) return;
    const candidates = compiled.filter((r) => r.pattern.test(url.pathname));
    const route = candidates.find((r) => r.method === req.method);
    if (!route) {
      const status = candidates.length ? 405 : 404;
      const detail = candidates.length
        ? `${req.method} is not allowed here.`
        : `No route for ${req.method} ${url.pathname}.`;
      return send(res, {
        statusCode: status,
        headers: { 'content-type': 'application/problem+json' },
        body: JSON.stringify({ ...problemBody('not_found', detail), status }),
      });
    }
    const body = await readBody(req);
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]),
    );
    const match = route.pattern.exec(url.pathname);
    const pathParameters = Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(match?.[i + 1] ?? '')]));
    const query = url.searchParams.size ? Object.fromEntries(url.searchParams) : null;
    const requestId = randomUUID();
    const methodArn = `arn:aws:execute-api:us-east-1:000000000000:local/local/${route.method}${route.resource}`;

    let authorizerContext: Record<string, unknown> | undefined;
    if (route.audience !== 'public') {
      const audience = route.audience;
      // As API Gateway: a request without the identity header is refused before the authorizer runs.
      if (!headers[authorizers[audience].identityHeader]) return problem(res, 'unauthenticated', SIGN_IN[audience]);
      let result: APIGatewayAuthorizerResult;
      try {
        result = await authorize(audience, {
          type: 'REQUEST',
          methodArn,
          resource: route.resource,
          path: url.pathname,
          httpMethod: route.method,
          headers,
          multiValueHeaders: {},
          pathParameters,
          queryStringParameters: query,
          multiValueQueryStringParameters: null,
          stageVariables: null,
          requestContext: { requestId } as APIGatewayRequestAuthorizerEvent['requestContext'],
        });
      } catch (error) {
        if (error instanceof InvocationError && error.message === 'Unauthorized') {
          return problem(res, 'unauthenticated', SIGN_IN[audience]);
        }
        throw error;
      }
      if (!policyAllows(result.policyDocument, methodArn)) return problem(res, 'forbidden', REFUSED[audience]);
      authorizerContext = { ...result.context, principalId: result.principalId };
    }
    if (route.audience === 'clients') {
      const admission = usagePlan.admit(String(authorizerContext?.usageKeyId ?? authorizerContext?.principalId));
      if (!admission.ok) {
        const detail =
          admission.reason === 'quota'
            ? 'The daily quota of this API key is used up; GET /v1/usage shows it.'
            : 'Too many requests for this API key; slow down and retry after Retry-After seconds.';
        return problem(res, 'rate_limited', detail, { 'retry-after': String(admission.retryAfterSeconds) });
      }
    }

    const event = {
      resource: route.resource,
      path: url.pathname,
      httpMethod: route.method,
      headers,
      multiValueHeaders: {},
      queryStringParameters: query,
      multiValueQueryStringParameters: null,
      pathParameters: route.names.length ? pathParameters : null,
      stageVariables: null,
      body: body.length ? body.toString('utf8') : null,
      isBase64Encoded: false,
      requestContext: {
        requestId,
        resourcePath: route.resource,
        httpMethod: route.method,
        // As on a custom domain: no stage prefix in front of the resource path.
        path: url.pathname,
        stage: 'local',
        authorizer: authorizerContext,
        identity: { sourceIp: req.socket.remoteAddress ?? '127.0.0.1' },
      },
    } as unknown as APIGatewayProxyEvent;
    send(res, await host.invoke<APIGatewayProxyResult>(route.entry, route.fn, event), headers.accept);
  }

  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://127.0.0.1:${actualPort}`,
    server,
    routeTable: compiled.map((r) => ({ method: r.method, path: r.resource, fn: r.fn })),
  };
}

/** API Gateway's answers when an authorizer refuses (lib/api/problem-responses.ts says the same on AWS). */
const SIGN_IN = {
  clients: 'Send your API key in the x-api-key header.',
  operators: 'Sign in: send your ID token as Authorization: Bearer <token>.',
} as const;
const REFUSED = {
  clients: 'The API key is not valid or has been revoked.',
  operators: 'This sign-in does not give access to the workshop (operators and admins only).',
} as const;

function problem(
  res: ServerResponse,
  kind: 'unauthenticated' | 'forbidden' | 'rate_limited',
  detail: string,
  headers: Record<string, string> = {},
) {
  const body = problemBody(kind, detail);
  send(res, {
    statusCode: body.status,
    headers: { 'content-type': 'application/problem+json', ...headers },
    body: JSON.stringify(body),
  });
}

/**
 * Writes a handler's answer. As API Gateway: a base64 body becomes bytes when the request's first Accept type is
 * one of the API's binary media types, and stays base64 text otherwise.
 */
function send(res: ServerResponse, result: APIGatewayProxyResult, accept?: string): void {
  res.writeHead(result.statusCode, {
    'access-control-allow-origin': '*',
    'access-control-allow-headers': 'content-type,x-api-key,authorization,idempotency-key,x-correlation-id',
    'access-control-allow-methods': 'GET,POST,PUT,PATCH,DELETE,OPTIONS',
    ...(result.headers as Record<string, string>),
  });
  const binary = result.isBase64Encoded && binaryMediaTypes.includes(firstAcceptType(accept));
  res.end(binary ? Buffer.from(result.body, 'base64') : result.body);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
