import { problem } from '@facet/contracts/api';
import { PROBLEM_KINDS, type ProblemKind, problemType } from '@facet/contracts/problems';
import { z } from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import { routes } from './index.ts';
import type { Audience, RouteDecl } from './types.ts';

/**
 * The OpenAPI 3.1 description of the API, generated from the route declarations of the wiring: the same zod
 * schemas the middleware bundles parse with (never written by hand). Routes with `doc: null` are left out.
 */

/** Problems every operation of an audience can answer with (the authorizer, the usage plan, our own failures). */
const audienceProblems = {
  clients: ['unauthenticated', 'forbidden', 'rate_limited', 'internal'],
  operators: ['unauthenticated', 'forbidden', 'internal'],
  public: ['internal'],
} as const satisfies Record<Audience, readonly ProblemKind[]>;

const problemContent = { 'application/problem+json': { schema: problem } };

function problemResponses(kinds: readonly ProblemKind[]) {
  const byStatus = new Map<number, ProblemKind[]>();
  for (const kind of new Set(kinds)) {
    const { status } = PROBLEM_KINDS[kind];
    byStatus.set(status, [...(byStatus.get(status) ?? []), kind]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, kinds]) => [
      String(status),
      {
        description: kinds.map((k) => `${PROBLEM_KINDS[k].title} (\`${problemType(k)}\`)`).join('; '),
        content: problemContent,
        ...(status === 429
          ? { headers: z.object({ 'Retry-After': z.string().meta({ description: 'Seconds to wait' }) }) }
          : {}),
      },
    ]),
  );
}

const idempotencyHeader = z.object({
  'Idempotency-Key': z.string().min(1).max(255).optional().meta({
    description: 'Same key and body within 24 h → the first answer again; same key, other body → 422',
  }),
});

const API_DESCRIPTION = `The Facet Clients API: upload a jewelry model, get a manufacturability report and an itemized
quote in seconds, confirm it, and follow the order through production.

**Authentication**: send your API key in the \`x-api-key\` header. Sandbox keys (\`fct_sandbox_…\`) see only sandbox
orders: they are calculated and quoted like live ones but never produced or billed.

**Errors** are \`application/problem+json\` (RFC 9457) with a stable \`type\` per kind and, for invalid input,
\`errors[]\` with field paths.

**Retries**: every POST accepts an \`Idempotency-Key\`.`;

/**
 * The Clients API's document covers the clients and public audiences: the operators' routes are the MES's own API,
 * not something a company integrates with (pass them in for tests that check those answers too).
 */
export function openApiDocument(serverUrl = '/', audiences: readonly Audience[] = ['clients', 'public']) {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of routes as readonly RouteDecl[]) {
    const { doc: op, params, query, body } = route;
    if (!op || !audiences.includes(route.audience)) continue;
    const operation: ZodOpenApiOperationObject = {
      operationId: route.fn.charAt(0).toLowerCase() + route.fn.slice(1),
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      tags: [op.tag],
      security: route.audience === 'clients' ? [{ apiKey: [] }] : [],
      requestParams: {
        ...(params ? { path: params } : {}),
        ...(query ? { query } : {}),
        ...(route.idempotent ? { header: idempotencyHeader } : {}),
      },
      ...(body
        ? {
            requestBody: {
              required: !route.bodyOptional,
              content: { 'application/json': { schema: body } },
            },
          }
        : {}),
      responses: {
        [String(op.success.status)]: {
          description: op.success.description,
          ...(op.success.schema
            ? {
                content: Object.fromEntries(
                  [op.success.contentType ?? 'application/json', ...(op.success.alsoAs ?? [])].map((type) => [
                    type,
                    { schema: op.success.schema },
                  ]),
                ),
              }
            : {}),
        },
        ...problemResponses([...op.problems, ...audienceProblems[route.audience]]),
      },
    };
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation };
  }
  return createDocument({
    openapi: '3.1.0',
    info: { title: 'Facet Clients API', version: '1.0.0', description: API_DESCRIPTION },
    servers: [{ url: serverUrl }],
    paths,
    components: {
      securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' } },
    },
  });
}
