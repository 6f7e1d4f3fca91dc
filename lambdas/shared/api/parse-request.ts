import type { RouteDecl } from '@facet/wiring';
import type { z } from 'zod';
import { HttpProblem } from './http-problem.ts';
import { type ApiMiddleware, headerOf, stateOf } from './state.ts';

/** Media types we read as JSON (`application/json`, with parameters, and `+json` types). */
const isJson = (contentType: string) => /^application\/([\w.-]+\+)?json\s*(;|$)/i.test(contentType.trim());

const issues = (error: z.ZodError, prefix: string) =>
  error.issues.map((i) => ({
    path: [prefix, ...i.path.map(String)].filter(Boolean).join('.') || '(body)',
    message: i.message,
  }));

/**
 * Parses the request with the route's declared schemas (packages/wiring): path parameters (a value that fails
 * names no resource: 404), the query string (400 with `query.…` paths) and the body — JSON only (415 otherwise),
 * validated (400 with field paths, unknown fields refused by name); a route that declares no body refuses one.
 */
export const parseRequest = (route: RouteDecl): ApiMiddleware => ({
  before: (request) => {
    const { event } = request;
    const state = stateOf(request);
    if (route.params) {
      const parsed = route.params.safeParse(event.pathParameters ?? {});
      if (!parsed.success) throw new HttpProblem('not_found', `Nothing is found at ${event.path}.`);
      state.params = parsed.data;
    }
    if (route.query) {
      const parsed = route.query.safeParse(event.queryStringParameters ?? {});
      if (!parsed.success) {
        throw new HttpProblem('validation', 'The query string is not valid.', issues(parsed.error, 'query'));
      }
      state.query = parsed.data;
    }
    state.body = parseBody(route, event.body, headerOf(event, 'content-type'));
  },
});

function parseBody(route: RouteDecl, raw: string | null, contentType: string | undefined): unknown {
  const present = raw !== null && raw !== '';
  if (!route.body) {
    if (present) {
      throw new HttpProblem('bad_request', 'This operation takes no body; send the request without one.', [
        { path: 'body', message: 'must be empty' },
      ]);
    }
    return undefined;
  }
  if (!present) {
    if (route.bodyOptional) return undefined;
    throw new HttpProblem('validation', 'The request needs a JSON body.', [{ path: '(body)', message: 'required' }]);
  }
  if (!contentType || !isJson(contentType)) {
    throw new HttpProblem(
      'unsupported_media_type',
      `The body must be JSON, sent with content-type: application/json (it was ${contentType ? `"${contentType}"` : 'not declared'}).`,
      [{ path: 'headers.content-type', message: 'must be application/json' }],
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    throw new HttpProblem('bad_request', 'The body is not valid JSON.', [
      { path: '(body)', message: (error as Error).message },
    ]);
  }
  const parsed = route.body.safeParse(value);
  if (!parsed.success)
    throw new HttpProblem('validation', 'The body does not match the schema.', issues(parsed.error, ''));
  return parsed.data;
}
