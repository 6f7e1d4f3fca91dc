import { ResponseType, type RestApi } from 'aws-cdk-lib/aws-apigateway';

/**
 * Responses API Gateway produces itself (auth, throttling, validation, unknown route), rewritten as RFC 9457
 * `application/problem+json` with the request id as correlation id, matching what the handlers return.
 */
const problems: readonly { type: ResponseType; status?: string; title: string; detail?: string }[] = [
  {
    type: ResponseType.UNAUTHORIZED,
    status: '401',
    title: 'Unauthorized',
    detail: 'Send a valid API key in x-api-key.',
  },
  {
    type: ResponseType.ACCESS_DENIED,
    status: '403',
    title: 'Forbidden',
    detail: 'This API key may not call this operation.',
  },
  { type: ResponseType.MISSING_AUTHENTICATION_TOKEN, status: '404', title: 'Not Found', detail: 'No such route.' },
  { type: ResponseType.RESOURCE_NOT_FOUND, status: '404', title: 'Not Found' },
  { type: ResponseType.BAD_REQUEST_PARAMETERS, status: '400', title: 'Bad Request' },
  { type: ResponseType.BAD_REQUEST_BODY, status: '400', title: 'Bad Request' },
  { type: ResponseType.REQUEST_TOO_LARGE, status: '413', title: 'Content Too Large' },
  { type: ResponseType.UNSUPPORTED_MEDIA_TYPE, status: '415', title: 'Unsupported Media Type' },
  { type: ResponseType.THROTTLED, status: '429', title: 'Too Many Requests', detail: 'Slow down and retry later.' },
  {
    type: ResponseType.QUOTA_EXCEEDED,
    status: '429',
    title: 'Too Many Requests',
    detail: 'The daily quota of this API key is used up.',
  },
  { type: ResponseType.INTEGRATION_TIMEOUT, status: '504', title: 'Gateway Timeout' },
  { type: ResponseType.DEFAULT_4XX, title: 'Client Error' },
  { type: ResponseType.DEFAULT_5XX, title: 'Internal Server Error' },
];

export function addProblemResponses(api: RestApi): void {
  for (const p of problems) {
    const detail = p.detail ? JSON.stringify(p.detail) : '$context.error.messageString';
    const status = p.status ? `,"status":${p.status}` : '';
    const template = `{"type":"about:blank","title":${JSON.stringify(p.title)}${status},"detail":${detail},"instance":"$context.path","correlationId":"$context.requestId"}`;
    api.addGatewayResponse(p.type.responseType, {
      type: p.type,
      ...(p.status ? { statusCode: p.status } : {}),
      responseHeaders: { 'Content-Type': "'application/problem+json'" },
      templates: { 'application/json': template, 'application/problem+json': template },
    });
  }
}
