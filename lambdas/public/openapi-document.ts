import { openApiDocument } from '@facet/wiring/openapi';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { baseUrlOf } from './base-url.ts';

/** Generated once per base URL the API is reached at (the stage URL, a custom domain), not per request. */
const documents = new Map<string, string>();

/** GET /v1/openapi.json — the API description, generated from the zod contracts, with this deployment as server. */
export async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const base = baseUrlOf(event);
  let body = documents.get(base);
  if (body === undefined) {
    body = JSON.stringify(openApiDocument(base));
    // A handful of real base URLs at most; the Host header is the caller's, so the cache stays bounded.
    if (documents.size >= 16) documents.clear();
    documents.set(base, body);
  }
  return {
    statusCode: 200,
    headers: {
      'content-type': 'application/json',
      'cache-control': 'public, max-age=300',
      'access-control-allow-origin': '*',
    },
    body,
  };
}
