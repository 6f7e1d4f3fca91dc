import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { problemBody } from '../shared/problem.ts';

/**
 * GET /docs and GET /docs/{asset} — the API docs page: Swagger UI (swagger-ui-dist, no dependencies) reading
 * /v1/openapi.json, with "Try it out" against this deployment. The two assets are served from files copied next
 * to the bundle on AWS (FacetFunction `assets`) and from node_modules locally.
 */
export const DOCS_ASSETS = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
} as const;

const cache = new Map<string, string>();

/** Next to the bundle on AWS; the package in node_modules locally. Resolved on first use, not at import. */
function assetDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return existsSync(join(here, 'swagger-ui-bundle.js'))
    ? here
    : dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
}

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Facet Clients API</title>
  <link rel="stylesheet" href="docs/swagger-ui.css">
  <style>body { margin: 0 } .topbar { display: none }</style>
</head>
<body>
  <div id="api-docs"></div>
  <script src="docs/swagger-ui-bundle.js"></script>
  <script>
    window.ui = SwaggerUIBundle({
      url: 'v1/openapi.json',
      dom_id: '#api-docs',
      deepLinking: true,
      persistAuthorization: true,
      tryItOutEnabled: false,
    });
  </script>
</body>
</html>`;

export async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const asset = event.pathParameters?.asset;
  if (asset === undefined) {
    // The page's relative links need the base to end in /docs, not /docs/.
    return { statusCode: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: PAGE };
  }
  if (!Object.hasOwn(DOCS_ASSETS, asset)) {
    return {
      statusCode: 404,
      headers: { 'content-type': 'application/problem+json' },
      body: JSON.stringify(problemBody('not_found', `There is no docs asset "${asset}".`)),
    };
  }
  const name = asset as keyof typeof DOCS_ASSETS;
  let body = cache.get(name);
  if (body === undefined) {
    body = readFileSync(join(assetDir(), name), 'utf8');
    cache.set(name, body);
  }
  return {
    statusCode: 200,
    headers: { 'content-type': DOCS_ASSETS[name], 'cache-control': 'public, max-age=86400' },
    body,
  };
}
