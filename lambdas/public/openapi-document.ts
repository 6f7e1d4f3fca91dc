import { openApiDocument } from '@facet/contracts/openapi';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { baseUrlOf } from './base-url.ts';

/** GET /v1/openapi.json — the API description, generated from the zod contracts, with this deployment as server. */
export async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  return {
    statusCode: 200,
    headers: {
      'content-type': 'application/json',
      'cache-control': 'public, max-age=300',
      'access-control-allow-origin': '*',
    },
    body: JSON.stringify(openApiDocument(baseUrlOf(event))),
  };
}
