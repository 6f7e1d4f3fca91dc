import { createOrderRequest } from '@facet/contracts';
import { DomainError } from '@facet/domain/errors';
import { MemoryIdempotencyStore } from '@facet/domain/testing/fakes';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { lambdaContext } from '../../local/cloud/lambda-context.ts';
import { clientsHandler } from './http.ts';

const event = (body: unknown, tenantId: string | null = 'ten_a') =>
  ({
    httpMethod: 'POST',
    resource: '/v1/orders',
    path: '/v1/orders',
    headers: { 'X-Correlation-Id': 'corr-9' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    pathParameters: null,
    requestContext: { requestId: 'req-1', authorizer: tenantId ? { tenantId } : undefined },
  }) as unknown as APIGatewayProxyEvent;

const ctx: Context = lambdaContext('test');
const valid = { dueDate: '2030-01-01', items: [{ alloy: 'ag925', quantity: 1 }], file: { name: 'a.stl', size: 10 } };

describe('clientsHandler', () => {
  it('passes the tenant from the authorizer and the parsed body', async () => {
    const h = clientsHandler(createOrderRequest, async ({ caller, body, correlationId }) => ({
      status: 201,
      body: { tenantId: caller.tenantId, n: body.items.length, correlationId },
    }));
    const res = await h(event(valid), ctx);
    expect(res.statusCode).toBe(201);
    expect(JSON.parse(res.body)).toEqual({ tenantId: 'ten_a', n: 1, correlationId: 'corr-9' });
  });

  it('answers 400 problem+json with field paths, and rejects unknown fields', async () => {
    const h = clientsHandler(createOrderRequest, async () => ({ status: 200, body: {} }));
    const res = await h(event({ ...valid, items: [], tenantId: 'ten_b' }), ctx);
    expect(res.statusCode).toBe(400);
    expect(res.headers?.['content-type']).toBe('application/problem+json');
    const problem = JSON.parse(res.body);
    expect(problem.type).toBe('https://facet.dev/problems/validation');
    expect(problem.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['items']));
    expect(JSON.stringify(problem.errors)).toContain('tenantId');
  });

  it('answers 400 for a body that is not JSON', async () => {
    const res = await clientsHandler(createOrderRequest, async () => ({ status: 200, body: {} }))(event('{"a":'), ctx);
    expect(res.statusCode).toBe(400);
  });

  it('maps domain errors through the one table', async () => {
    const h = clientsHandler(undefined, async () => {
      throw new DomainError('not_found', 'The order was not found.');
    });
    const res = await h(event(undefined), ctx);
    expect(res.statusCode).toBe(404);
    expect(JSON.parse(res.body).detail).toBe('The order was not found.');
  });

  it('hides internal errors behind a 500 with the correlation id only', async () => {
    const h = clientsHandler(undefined, async () => {
      throw new Error('connect ECONNREFUSED 10.0.0.1:5432 password=hunter2');
    });
    const res = await h(event(undefined), ctx);
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('hunter2');
    expect(JSON.parse(res.body).correlationId).toBe('corr-9');
  });

  it('refuses a request without a tenant in the authorizer context', async () => {
    const res = await clientsHandler(undefined, async () => ({ status: 200, body: {} }))(event(undefined, null), ctx);
    expect(res.statusCode).toBe(401);
  });
});

describe('Idempotency-Key', () => {
  const keyed = (body: unknown, key = 'key-1') => {
    const e = event(body);
    return { ...e, headers: { ...e.headers, 'Idempotency-Key': key } } as APIGatewayProxyEvent;
  };

  it('runs a POST once and replays its answer for the same key and body, whatever the key order', async () => {
    const store = new MemoryIdempotencyStore();
    let runs = 0;
    const h = clientsHandler(createOrderRequest, async () => ({ status: 201, body: { run: ++runs } }), {
      idempotency: store,
    });
    const first = await h(keyed(valid), ctx);
    const reordered = { file: valid.file, items: valid.items, dueDate: valid.dueDate };
    const second = await h(keyed(reordered), ctx);
    expect(runs).toBe(1);
    expect(second.statusCode).toBe(201);
    expect(second.body).toBe(first.body);
    expect(second.headers?.['idempotent-replayed']).toBe('true');
  });

  it('answers 422 for the same key with another body, and keeps no answer of a 500', async () => {
    const store = new MemoryIdempotencyStore();
    const h = clientsHandler(createOrderRequest, async () => ({ status: 201, body: {} }), { idempotency: store });
    await h(keyed(valid), ctx);
    const other = await h(keyed({ ...valid, dueDate: '2031-01-01' }), ctx);
    expect(other.statusCode).toBe(422);
    expect(JSON.parse(other.body).type).toBe('https://facet.dev/problems/idempotency-mismatch');
    let calls = 0;
    const failing = clientsHandler(
      createOrderRequest,
      async () => {
        calls++;
        throw new Error('database down');
      },
      { idempotency: store },
    );
    expect((await failing(keyed(valid, 'key-2'), ctx)).statusCode).toBe(500);
    expect((await failing(keyed(valid, 'key-2'), ctx)).statusCode).toBe(500);
    expect(calls).toBe(2);
  });
});
