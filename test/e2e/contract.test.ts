import { createServer, type Server } from 'node:http';
import { openApiDocument } from '@facet/wiring/openapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractChecker } from './contract.ts';

/** The checker the e2e suites rely on must catch a server that breaks the document. */
describe('the contract checker', () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    // Prepare: a server that answers everything with 200 and an order missing every required field.
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ order: { id: 'ord_1' } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('flags a response body that breaks its schema', async () => {
    const checker = new ContractChecker(JSON.parse(JSON.stringify(openApiDocument(url))), url);
    await checker.fetch(`${url}/v1/orders/ord_1`);
    expect(checker.violations.join('\n')).toMatch(/GET \/v1\/orders\/ord_1: 200 body breaks the schema/);
  });

  it('flags a forbidden request that was not refused, and an undocumented status', async () => {
    const checker = new ContractChecker(JSON.parse(JSON.stringify(openApiDocument(url))), url);
    await checker.fetch(`${url}/v1/orders`, { method: 'POST', body: JSON.stringify({ status: 'confirmed' }) });
    expect(checker.violations.join('\n')).toMatch(/a request the document forbids was answered 200/);
    expect(checker.violations.join('\n')).toMatch(/status 200 is not documented/);
  });
});
