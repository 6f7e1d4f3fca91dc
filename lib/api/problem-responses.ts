import { type ProblemKind, problemType } from '@facet/contracts/problems';
import { ResponseType, type RestApi } from 'aws-cdk-lib/aws-apigateway';

export interface ProblemResponsesOptions {
  /** The WAF rate rules' window: a blocked client may retry once its requests of the last window are under the limit. */
  readonly firewallRetryAfterSeconds: number;
}

/**
 * Responses API Gateway produces itself (auth, throttling, WAF blocks, validation, unknown route), rewritten as
 * RFC 9457 `application/problem+json` with the same stable `type` per kind as the handlers' answers, and the request
 * id as correlation id. 429s carry Retry-After (the gateway cannot compute the exact wait: one second for the rate,
 * the WAF window for a firewall block, an hour for a spent daily quota, whose exact reset GET /v1/usage shows).
 */
const problems = (
  options: ProblemResponsesOptions,
): readonly {
  type: ResponseType;
  status?: string;
  kind?: ProblemKind;
  title: string;
  detail?: string;
  retryAfter?: string;
}[] => [
  {
    type: ResponseType.UNAUTHORIZED,
    status: '401',
    kind: 'unauthenticated',
    title: 'Unauthorized',
    detail: 'Send a valid API key in x-api-key.',
  },
  {
    type: ResponseType.ACCESS_DENIED,
    status: '403',
    kind: 'forbidden',
    title: 'Forbidden',
    detail: 'This API key may not call this operation.',
  },
  {
    type: ResponseType.MISSING_AUTHENTICATION_TOKEN,
    status: '404',
    kind: 'not_found',
    title: 'Not Found',
    detail: 'No such route.',
  },
  { type: ResponseType.RESOURCE_NOT_FOUND, status: '404', kind: 'not_found', title: 'Not Found' },
  { type: ResponseType.BAD_REQUEST_PARAMETERS, status: '400', kind: 'validation', title: 'Bad Request' },
  { type: ResponseType.BAD_REQUEST_BODY, status: '400', kind: 'validation', title: 'Bad Request' },
  { type: ResponseType.REQUEST_TOO_LARGE, status: '413', title: 'Content Too Large' },
  { type: ResponseType.UNSUPPORTED_MEDIA_TYPE, status: '415', title: 'Unsupported Media Type' },
  {
    type: ResponseType.THROTTLED,
    status: '429',
    kind: 'rate_limited',
    title: 'Too Many Requests',
    detail: 'Too many requests for this API key; slow down and retry after Retry-After seconds.',
    retryAfter: '1',
  },
  {
    // API Gateway answers every WAF block with this one response (it cannot tell which rule matched). The blocks a
    // real integrator meets are the rate rules, which clear by themselves: so a 429 with the window as Retry-After,
    // not a 403 a client would treat as final.
    type: ResponseType.WAF_FILTERED,
    status: '429',
    kind: 'rate_limited',
    title: 'Too Many Requests',
    detail:
      'The firewall stopped this request: far too many requests from this API key or address. Slow down and retry after Retry-After seconds; if a single request keeps being refused, send its correlationId to support.',
    retryAfter: String(options.firewallRetryAfterSeconds),
  },
  {
    type: ResponseType.QUOTA_EXCEEDED,
    status: '429',
    kind: 'rate_limited',
    title: 'Too Many Requests',
    detail: 'The daily quota of this API key is used up; GET /v1/usage shows when it resets.',
    retryAfter: '3600',
  },
  { type: ResponseType.INTEGRATION_TIMEOUT, status: '504', title: 'Gateway Timeout' },
  { type: ResponseType.DEFAULT_4XX, title: 'Client Error' },
  { type: ResponseType.DEFAULT_5XX, kind: 'internal', title: 'Internal Server Error' },
];

export function addProblemResponses(api: RestApi, options: ProblemResponsesOptions): void {
  for (const p of problems(options)) {
    const detail = p.detail ? JSON.stringify(p.detail) : '$context.error.messageString';
    const status = p.status ? `,"status":${p.status}` : '';
    const type = p.kind ? problemType(p.kind) : 'about:blank';
    const template = `{"type":"${type}","title":${JSON.stringify(p.title)}${status},"detail":${detail},"instance":"$context.path","correlationId":"$context.requestId"}`;
    api.addGatewayResponse(p.type.responseType, {
      type: p.type,
      ...(p.status ? { statusCode: p.status } : {}),
      responseHeaders: {
        'Content-Type': "'application/problem+json'",
        ...(p.retryAfter ? { 'Retry-After': `'${p.retryAfter}'` } : {}),
      },
      templates: { 'application/json': template, 'application/problem+json': template },
    });
  }
}
