import { readFile } from 'node:fs/promises';
import { type IncomingHttpHeaders, request } from 'node:http';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createOrderResponse, orderResponse } from '@facet/contracts';
import {
  BOARD_MEDIA_TYPE,
  boardView,
  companyResponse,
  issuedKeyResponse,
  meView,
  operatorOrderView,
  treeResponse,
} from '@facet/contracts/operators';
import { PRODUCTION_STAGES } from '@facet/contracts/production';
import { exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local/cloud/cloud.ts';
import { readWebhookInbox } from '../../local/cloud/outbox.ts';
import { withLocalCloud } from '../../local/testing/local-cloud.ts';
import { ClientsApi, waitFor } from '../../local/tools/clients-api.ts';
import { torusStl } from '../../local/tools/sample-models.ts';

/** The operators' audience (issue 11) through HTTP against the whole local cloud: sign-in, board, production. */
describe("the operators' API", () => {
  const suiteCloud = withLocalCloud({ workers: 1 });
  let cloud: LocalCloud;
  let clients: ClientsApi;
  const tokens: Record<'operator' | 'admin' | 'customer', string> = { operator: '', admin: '', customer: '' };

  beforeAll(async () => {
    cloud = suiteCloud();
    clients = new ClientsApi(cloud.apiUrl, cloud.demo.apiKey);
    for (const who of ['operator', 'admin', 'customer'] as const) {
      const user = cloud.identity.users.find((u) => u.email.startsWith(who));
      if (!user) throw new Error(`no demo ${who}`);
      tokens[who] = (await cloud.identity.signIn(user.email, user.password)).id_token;
    }
  });

  const ops = async (method: string, path: string, token: string | undefined, body?: unknown, headers = {}) => {
    const res = await fetch(`${cloud.apiUrl}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  };

  /** A GET whose body is the bytes as sent (fetch would inflate a gzipped one). */
  const rawGet = (url: string, headers: Record<string, string>) =>
    new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      request(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      })
        .on('error', reject)
        .end();
    });

  /** A token signed by the issuer's own key with the claims given (what a tampered or stale token looks like). */
  async function issuerSigned(claims: Record<string, unknown>, expiresAt: number): Promise<string> {
    const jwk = JSON.parse(
      await readFile(join(cloud.env.OUTBOX_DIR ?? '', '..', 'identity', 'signing-key.json'), 'utf8'),
    );
    const key = await importJWK(jwk as JWK, 'RS256');
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: jwk.kid })
      .setIssuedAt(expiresAt - 3600)
      .setExpirationTime(expiresAt)
      .sign(key);
  }

  async function quotedOrder(reference: string, alloy = 'au750y'): Promise<string> {
    const ring = torusStl(9, 1.2);
    const created = await clients.request('POST', '/v1/orders', {
      reference,
      dueDate: '2030-06-30',
      items: [{ alloy, quantity: 1 }],
      file: { name: 'ring.stl', size: ring.length },
    });
    expect(created.status).toBe(201);
    const body = createOrderResponse.parse(created.body);
    const parts = await ClientsApi.uploadParts(ring, body.upload);
    expect((await clients.request('POST', body.upload.completeUrl, { parts })).status).toBe(202);
    await waitFor(`order ${body.order.id} quoted`, async () => {
      const res = await clients.request('GET', `/v1/orders/${body.order.id}`);
      return res.body?.order?.status === 'quoted' ? res : undefined;
    });
    return body.order.id;
  }

  describe('sign-in', () => {
    it('refuses a request without a token, and a B2B API key, as 401', async () => {
      expect((await ops('GET', '/ops/board', undefined)).status).toBe(401);
      const withKey = await ops('GET', '/ops/board', undefined, undefined, { 'x-api-key': cloud.demo.apiKey });
      expect(withKey.status).toBe(401);
      expect(withKey.headers.get('content-type')).toContain('application/problem+json');
    });

    it('refuses expired, forged and foreign tokens as 401', async () => {
      // Prepare
      const me = meView.parse((await ops('GET', '/ops/me', tokens.operator)).body);
      const claims = {
        sub: me.sub,
        email: me.email,
        'cognito:groups': ['operators'],
        token_use: 'id',
        iss: cloud.identity.issuerUrl,
        aud: cloud.identity.clientId,
      };
      const now = Math.floor(Date.now() / 1000);
      const expired = await issuerSigned(claims, now - 60);
      const otherKey = await generateKeyPair('RS256', { extractable: true });
      const ownKid = JSON.parse(atob(tokens.operator.split('.')[0] ?? '')).kid;
      const forged = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: ownKid })
        .setExpirationTime(now + 600)
        .sign(otherKey.privateKey);
      const foreign = await issuerSigned(
        { ...claims, iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_x' },
        now + 600,
      );
      const otherAudience = await issuerSigned({ ...claims, aud: 'some-other-app' }, now + 600);
      const accessToken = await issuerSigned({ ...claims, token_use: 'access' }, now + 600);
      const [h, p] = tokens.operator.split('.');
      const unsigned = `${h}.${p}.`;
      const elevated = `${h}.${btoa(JSON.stringify({ ...claims, 'cognito:groups': ['admins'] })).replace(/=+$/, '')}.${tokens.operator.split('.')[2]}`;
      expect(await exportJWK(otherKey.publicKey)).toHaveProperty('n');
      // Act
      const statuses = await Promise.all(
        [expired, forged, foreign, otherAudience, accessToken, unsigned, elevated, 'not-a-jwt'].map(
          async (t) => (await ops('GET', '/ops/board', t)).status,
        ),
      );
      // Assess
      expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 401, 401]);
    });

    it("refuses a shop customer's valid token as 403, and a non-admin on companies as 403", async () => {
      const customer = await ops('GET', '/ops/board', tokens.customer);
      expect(customer.status).toBe(403);
      expect(customer.body.type).toMatch(/forbidden/);
      expect((await ops('GET', '/ops/companies', tokens.operator)).status).toBe(403);
      expect(
        (await ops('POST', '/ops/companies', tokens.operator, { name: 'X Co', notificationEmail: 'x@x.example' }))
          .status,
      ).toBe(403);
      expect((await ops('GET', '/ops/companies', tokens.admin)).status).toBe(200);
    });

    it('says who is signed in, with the role from the groups', async () => {
      expect(meView.parse((await ops('GET', '/ops/me', tokens.operator)).body)).toMatchObject({ role: 'operator' });
      expect(meView.parse((await ops('GET', '/ops/me', tokens.admin)).body)).toMatchObject({ role: 'admin' });
    });
  });

  describe('production', () => {
    let orderId = '';
    let etag = '';

    it('shows a freshly quoted B2B order on the board, with an ETag and 304 while nothing changed', async () => {
      // Prepare
      orderId = await quotedOrder('PO-<b>bold</b>');
      // Act
      const board = await waitFor('the card on the board', async () => {
        const res = await ops('GET', '/ops/board', tokens.operator);
        const card = boardView.parse(res.body).cards.find((c) => c.orderId === orderId);
        return card?.column === 'quoted' ? res : undefined;
      });
      // The demo orders may still be calculating (their events move the board): a 304 needs a quiet moment.
      const again = await waitFor('an unchanged board', async () => {
        const first = await ops('GET', '/ops/board', tokens.operator);
        etag = first.headers.get('etag') ?? '';
        const second = await fetch(`${cloud.apiUrl}/ops/board`, {
          headers: { authorization: `Bearer ${tokens.operator}`, 'if-none-match': etag },
        });
        return second.status === 304 ? second : undefined;
      });
      // Assess
      expect(etag).toMatch(/^"[^"]+"$/);
      expect(again.status).toBe(304);
      expect(await again.text()).toBe('');
      const card = boardView.parse(board.body).cards.find((c) => c.orderId === orderId);
      expect(card).toMatchObject({ reference: 'PO-<b>bold</b>', alloy: 'au750y', quantity: 1 });
    });

    it('sends the board gzipped to a client that asks for its media type, under an ETag of its own', async () => {
      // Prepare
      const headers = { authorization: `Bearer ${tokens.operator}`, 'accept-encoding': 'gzip' };
      // Act: the bytes as sent (node:http inflates nothing).
      const zipped = await rawGet(`${cloud.apiUrl}/ops/board`, { ...headers, accept: BOARD_MEDIA_TYPE });
      const plain = await rawGet(`${cloud.apiUrl}/ops/board`, headers);
      // Assess: gzip bytes of the same board, fewer than the plain JSON's (a tenth for thousands of cards).
      expect(zipped.status).toBe(200);
      expect(zipped.headers['content-encoding']).toBe('gzip');
      expect(zipped.headers['content-type']).toBe(BOARD_MEDIA_TYPE);
      expect(zipped.headers.vary).toBe('accept, accept-encoding');
      const board = boardView.parse(JSON.parse(gunzipSync(zipped.body).toString('utf8')));
      expect(board.cards.some((c) => c.orderId === orderId)).toBe(true);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(boardView.parse(JSON.parse(plain.body.toString('utf8'))).cards.length).toBe(board.cards.length);
      expect(zipped.body.length).toBeLessThan(plain.body.length);
      const zippedTag = String(zipped.headers.etag);
      expect(zippedTag).toMatch(/\.gz"$/);
      expect(zippedTag).not.toBe(plain.headers.etag);
      // Its ETag gives a 304 (in a quiet moment: the demo orders may still move the board).
      const gzipped = { ...headers, accept: BOARD_MEDIA_TYPE };
      const again = await waitFor('an unchanged gzipped board', async () => {
        const tag = (await fetch(`${cloud.apiUrl}/ops/board`, { headers: gzipped })).headers.get('etag') ?? '';
        const next = await fetch(`${cloud.apiUrl}/ops/board`, { headers: { ...gzipped, 'if-none-match': tag } });
        return next.status === 304 ? next : undefined;
      });
      expect(await again.text()).toBe('');
    });

    it('runs the order through production: start, every stage, hold and resume, weights, ship, deliver', async () => {
      // Prepare: the company listens to stage events, and confirms the quote.
      const hook = `${cloud.webhookInboxUrl}stages-${orderId}`;
      expect((await clients.request('POST', '/v1/webhooks', { url: hook, events: ['*'] })).status).toBe(201);
      expect((await clients.request('POST', `/v1/orders/${orderId}/confirm`, {})).status).toBe(200);
      const act = async (action: Record<string, unknown>) => {
        const detail = operatorOrderView.parse((await ops('GET', `/ops/orders/${orderId}`, tokens.operator)).body);
        const res = await ops('POST', `/ops/orders/${orderId}/actions`, tokens.operator, {
          action,
          expectedVersion: detail.version,
        });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        return res.body;
      };
      await waitFor('the confirmation on the board', async () => {
        const res = await ops('GET', `/ops/orders/${orderId}`, tokens.operator);
        return res.body?.order?.status === 'confirmed' ? res : undefined;
      });

      // Act
      await act({ type: 'start' });
      await act({ type: 'hold', reason: 'Waiting for the client to confirm the stone' });
      const held = await ops('POST', `/ops/orders/${orderId}/actions`, tokens.operator, {
        action: { type: 'advance' },
        expectedVersion: operatorOrderView.parse((await ops('GET', `/ops/orders/${orderId}`, tokens.operator)).body)
          .version,
      });
      await act({ type: 'resume' });
      for (let i = 1; i < PRODUCTION_STAGES.length; i++) {
        const at = operatorOrderView.parse((await ops('GET', `/ops/orders/${orderId}`, tokens.operator)).body);
        if (at.production?.stage === 'burnout_cast')
          await act({ type: 'record-weights', point: 'casting', gramsIn: 12.4, gramsOut: 11.9 });
        if (at.production?.stage === 'finish')
          await act({ type: 'record-weights', point: 'finishing', gramsIn: 11.9, gramsOut: 11.2 });
        await act({ type: 'advance' });
      }
      await act({ type: 'ship', carrier: 'DHL Express', trackingNumber: 'JD014600003SE' });
      await act({ type: 'deliver' });

      // Assess: a held order does not move; the audit log says who did what; the company saw every stage.
      expect(held.status).toBe(409);
      const detail = operatorOrderView.parse((await ops('GET', `/ops/orders/${orderId}`, tokens.operator)).body);
      expect(detail.order.status).toBe('delivered');
      expect(detail.production?.shipment).toMatchObject({ carrier: 'DHL Express', trackingNumber: 'JD014600003SE' });
      const operatorEntries = detail.audit.filter((a) => a.actor?.kind === 'operator');
      expect(operatorEntries.length).toBeGreaterThanOrEqual(PRODUCTION_STAGES.length + 4);
      expect(operatorEntries.every((a) => a.actor?.email === 'operator@facet.local')).toBe(true);
      const tracking = orderResponse.parse((await clients.request('GET', `/v1/orders/${orderId}`)).body);
      expect(tracking.order.status).toBe('delivered');
      const stageEvents = await waitFor('the stage webhooks', async () => {
        const got = (await readWebhookInbox(join(cloud.env.OUTBOX_DIR ?? '', '..', 'webhooks')))
          .filter((h) => h.name === `stages-${orderId}`)
          .map((h) => JSON.parse(h.body).type as string);
        return got.includes('order.delivered') ? got : undefined;
      });
      // Starting enters the first stage; each advance is one stage change after it.
      expect(stageEvents.filter((t) => t === 'order.in-production').length).toBe(1);
      expect(stageEvents.filter((t) => t === 'order.stage-changed').length).toBe(PRODUCTION_STAGES.length - 1);
      expect(stageEvents).toEqual(expect.arrayContaining(['order.held', 'order.resumed', 'order.shipped']));
      expect(stageEvents.some((t) => t.includes('weigh') || t.includes('progress'))).toBe(false);
    });

    it('takes the delivered order off the board, and the ETag changes with it', async () => {
      const res = await waitFor('the card gone', async () => {
        const board = await ops('GET', '/ops/board', tokens.operator);
        return boardView.parse(board.body).cards.some((c) => c.orderId === orderId) ? undefined : board;
      });
      expect(res.headers.get('etag')).not.toBe(etag);
    });
  });

  describe('casting trees', () => {
    it('puts confirmed orders of one alloy into a tree with the metal it needs, and refuses a mixed alloy', async () => {
      // Prepare
      const ids = [await quotedOrder('TREE-1'), await quotedOrder('TREE-2')];
      const silver = await quotedOrder('TREE-SILVER', 'ag925');
      for (const id of [...ids, silver])
        expect((await clients.request('POST', `/v1/orders/${id}/confirm`, {})).status).toBe(200);
      await waitFor('confirmed in the projection', async () => {
        const res = await ops('GET', '/ops/board', tokens.operator);
        const cards = boardView.parse(res.body).cards.filter((c) => [...ids, silver].includes(c.orderId));
        return cards.length === 3 && cards.every((c) => c.status === 'confirmed') ? cards : undefined;
      });
      // Act
      const res = await ops('POST', '/ops/trees', tokens.operator, { orderIds: ids });
      // Assess
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const { tree } = treeResponse.parse(res.body);
      expect(tree.orders.map((o) => o.orderId).sort()).toEqual([...ids].sort());
      expect(tree.metalGrams).toBeGreaterThan(0);
      const mixed = await ops('POST', '/ops/trees', tokens.operator, { orderIds: [silver, ...ids.slice(0, 1)] });
      expect(mixed.status).toBeGreaterThanOrEqual(400);
      expect(mixed.status).toBeLessThan(500);
    });
  });

  describe('companies', () => {
    it('lets an admin create a company and a key that works on the clients API, and revoke it', async () => {
      // Act
      const created = await ops('POST', '/ops/companies', tokens.admin, {
        name: 'Argent <i>&</i> Co',
        notificationEmail: 'orders@argent.example',
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const { company } = companyResponse.parse(created.body);
      const issued = await ops('POST', `/ops/companies/${company.id}/keys`, tokens.admin, { kind: 'live' });
      expect(issued.status).toBe(201);
      const key = issuedKeyResponse.parse(issued.body);
      const api = new ClientsApi(cloud.apiUrl, key.apiKey);
      // Assess
      expect((await api.request('GET', '/v1/orders')).status).toBe(200);
      const revoked = await ops('POST', `/ops/companies/${company.id}/keys/${key.keyId}/revoke`, tokens.admin);
      expect(revoked.status).toBe(200);
      expect((await api.request('GET', '/v1/orders')).status).toBe(403);
    });
  });
});
