import { DomainError } from '@facet/domain/errors';
import { MemoryIdempotencyStore } from '@facet/domain/testing/fakes';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { lambdaContext } from '../../../local/cloud/lambda-context.ts';
import { routeHandler } from './bundle.ts';

const valid = { dueDate: '2030-01-01', items: [{ alloy: 'ag925', quantity: 1 }], file: { name: 'a.stl', size: 10 } };

function event(
  body: unknown,
  options: { tenantId?: string | null; path?: string; headers?: Record<string, string>; params?: object } = {},
) {
  return {
    httpMethod: 'POST',
    resource: '/v1/orders',
    path: options.path ?? '/v1/orders',
    headers: { 'X-Correlation-Id': 'corr-9', 'Content-Type': 'application/json', ...options.headers },
    body: body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body),
    pathParameters: options.params ?? null,
    queryStringParameters: null,
    requestContext: {
      requestId: 'req-1',
      authorizer: options.tenantId === null ? undefined : { tenantId: options.tenantId ?? 'ten_a' },
    },
  } as unknown as APIGatewayProxyEvent;
}

const ctx = (): Context => lambdaContext('test');
const problemOf = (res: { body: string }) => JSON.parse(res.body);
const store = () => new MemoryIdempotencyStore();

describe('the clients bundle', () => {
  it('passes the tenant from the authorizer and the body parsed with the route schema', async () => {
    // Prepare
    const h = routeHandler(
      'CreateOrder',
      async ({ caller, body, correlationId }) => ({
        status: 201,
        body: { tenantId: caller.tenantId, n: body.items.length, correlationId },
      }),
      { idempotency: store() },
    );
    // Act
    const res = await h(event(valid), ctx());
    // Assess
    expect(res.statusCode).toBe(201);
    expect(JSON.parse(res.body)).toEqual({ tenantId: 'ten_a', n: 1, correlationId: 'corr-9' });
    expect(res.headers?.['x-correlation-id']).toBe('corr-9');
  });

  it('answers 400 problem+json with field paths, and refuses unknown fields by name', async () => {
    const h = routeHandler('CreateOrder', async () => ({ status: 200, body: {} }), { idempotency: store() });
    const res = await h(event({ ...valid, items: [], tenantId: 'ten_b' }), ctx());
    expect(res.statusCode).toBe(400);
    expect(res.headers?.['content-type']).toBe('application/problem+json');
    const problem = problemOf(res);
    expect(problem.type).toBe('https://facet.dev/problems/validation');
    expect(problem.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['items']));
    expect(JSON.stringify(problem.errors)).toContain('tenantId');
  });

  it('answers 400 for a body that is not JSON, 415 for one that is not declared JSON', async () => {
    const h = routeHandler('CreateOrder', async () => ({ status: 201, body: {} }), { idempotency: store() });
    expect((await h(event('{"a":'), ctx())).statusCode).toBe(400);
    const plain = await h(event(valid, { headers: { 'Content-Type': 'text/plain' } }), ctx());
    expect(plain.statusCode).toBe(415);
    expect(problemOf(plain).errors).toEqual([{ path: 'headers.content-type', message: 'must be application/json' }]);
    const none = await h(event(valid, { headers: { 'Content-Type': '' } }), ctx());
    expect(none.statusCode).toBe(415);
    const charset = await h(event(valid, { headers: { 'Content-Type': 'application/json; charset=utf-8' } }), ctx());
    expect(charset.statusCode).toBe(201);
  });

  it('refuses any body on a route that declares none, naming the field', async () => {
    const h = routeHandler('RotateWebhookSecret', async () => ({ status: 200, body: {} }), { idempotency: store() });
    const params = { webhookId: 'whk_1' };
    for (const body of ['{"oops":', 'x'.repeat(1024 * 1024), '{}']) {
      const res = await h(event(body, { params }), ctx());
      expect(res.statusCode).toBe(400);
      expect(problemOf(res).errors).toEqual([{ path: 'body', message: 'must be empty' }]);
    }
    expect((await h(event(undefined, { params }), ctx())).statusCode).toBe(200);
  });

  it('answers 404 for a path parameter that cannot be an id, and gives the handler the parsed one', async () => {
    const h = routeHandler('GetOrder', async ({ params }) => ({ status: 200, body: { id: params.orderId } }));
    const get = (orderId: string) => h({ ...event(undefined, { params: { orderId } }), httpMethod: 'GET' }, ctx());
    expect((await get('ord_1')).body).toBe('{"id":"ord_1"}');
    expect((await get('ord_1"><script>')).statusCode).toBe(404);
  });

  it('maps domain errors through the one table', async () => {
    const h = routeHandler('GetUsage', async () => {
      throw new DomainError('not_found', 'The order was not found.');
    });
    const res = await h(event(undefined), ctx());
    expect(res.statusCode).toBe(404);
    expect(problemOf(res).detail).toBe('The order was not found.');
  });

  it('hides internal errors behind a 500 with the correlation id only', async () => {
    const h = routeHandler('GetUsage', async () => {
      throw new Error('connect ECONNREFUSED 10.0.0.1:5432 password=hunter2');
    });
    const res = await h(event(undefined), ctx());
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('hunter2');
    expect(problemOf(res).correlationId).toBe('corr-9');
  });

  it('refuses a request without a company in the authorizer context', async () => {
    const h = routeHandler('GetUsage', async () => ({ status: 200, body: {} }));
    expect((await h(event(undefined, { tenantId: null }), ctx())).statusCode).toBe(401);
  });

  it('insists on an idempotency store for a route declared idempotent', () => {
    expect(() => routeHandler('CreateOrder', async () => ({ status: 201 }))).toThrow(/idempotent/);
  });
});

describe('Idempotency-Key', () => {
  const keyed = (body: unknown, key = 'key-1') => event(body, { headers: { 'Idempotency-Key': key } });

  it('runs a POST once and replays its answer for the same key and body, whatever the key order', async () => {
    let runs = 0;
    const h = routeHandler('CreateOrder', async () => ({ status: 201, body: { run: ++runs } }), {
      idempotency: store(),
    });
    const first = await h(keyed(valid), ctx());
    const reordered = { file: valid.file, items: valid.items, dueDate: valid.dueDate };
    const second = await h(keyed(reordered), ctx());
    expect(runs).toBe(1);
    expect(second.statusCode).toBe(201);
    expect(second.body).toBe(first.body);
    expect(second.headers?.['idempotent-replayed']).toBe('true');
  });

  it('answers 422 for the same key with another body, keeps a 4xx answer and no answer of a 500', async () => {
    const keys = store();
    const h = routeHandler('CreateOrder', async () => ({ status: 201, body: {} }), { idempotency: keys });
    await h(keyed(valid), ctx());
    const other = await h(keyed({ ...valid, dueDate: '2031-01-01' }), ctx());
    expect(other.statusCode).toBe(422);
    expect(problemOf(other).type).toBe('https://facet.dev/problems/idempotency-mismatch');
    let calls = 0;
    const failing = routeHandler(
      'CreateOrder',
      async () => {
        calls++;
        throw new Error('database down');
      },
      { idempotency: keys },
    );
    expect((await failing(keyed(valid, 'key-2'), ctx())).statusCode).toBe(500);
    expect((await failing(keyed(valid, 'key-2'), ctx())).statusCode).toBe(500);
    expect(calls).toBe(2);
    const refusing = routeHandler(
      'CreateOrder',
      async () => {
        calls++;
        throw new DomainError('conflict', 'no');
      },
      { idempotency: keys },
    );
    await refusing(keyed(valid, 'key-3'), ctx());
    const replayed = await refusing(keyed(valid, 'key-3'), ctx());
    expect(replayed.statusCode).toBe(409);
    expect(replayed.headers?.['idempotent-replayed']).toBe('true');
    expect(calls).toBe(3);
  });
});
