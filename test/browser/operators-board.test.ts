import { join } from 'node:path';
import { createOrderResponse, orderResponse } from '@facet/contracts';
import { PRODUCTION_STAGES } from '@facet/contracts/production';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../lib/paths.ts';
import type { LocalCloud } from '../../local/cloud/cloud.ts';
import { readWebhookInbox } from '../../local/cloud/outbox.ts';
import { withLocalCloud } from '../../local/testing/local-cloud.ts';
import { ClientsApi, waitFor } from '../../local/tools/clients-api.ts';
import { torusStl } from '../../local/tools/sample-models.ts';
import { seedBoard } from '../../local/tools/seed-board.ts';

/**
 * The operators' MES in Chromium against the whole local cloud (issue 11): sign-in through the issuer's login
 * page, the board, an order through production from its page, bulk work in the table, companies and keys — what a
 * person sees, and what the company sees of it through its webhooks and the clients' API.
 */
describe("the operators' site in a browser", () => {
  const suiteCloud = withLocalCloud({ workers: 1 });
  let cloud: LocalCloud;
  let clients: ClientsApi;
  let browser: Browser;
  const MARKUP = '<img src=x onerror="window.__pwned=1">Solitaire';
  let orderId = '';
  let signetId = '';

  beforeAll(async () => {
    cloud = suiteCloud();
    clients = new ClientsApi(cloud.apiUrl, cloud.demo.apiKey);
    browser = await chromium.launch({
      executablePath: '/usr/lib/chromium/chromium',
      args: [
        '--no-sandbox',
        '--disable-background-networking',
        '--use-angle=swiftshader',
        '--enable-unsafe-swiftshader',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  const user = (role: 'operator' | 'admin') => {
    const found = cloud.identity.users.find((u) => u.email.startsWith(role));
    if (!found) throw new Error(`no demo ${role}`);
    return found;
  };

  /** A new browser context signed in through the login page, like a person; page errors and CSP reports kept. */
  async function signIn(role: 'operator' | 'admin'): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/.test(m.text())) errors.push(m.text());
    });
    await page.goto(cloud.operatorsSiteUrl);
    await page.getByLabel('Email').fill(user(role).email);
    await page.getByLabel('Password').fill(user(role).password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page
      .getByTestId('signed-in')
      .filter({ hasText: user(role).email })
      .waitFor();
    return { page, errors };
  }

  /** A call to the operators' API from the page, with the token the site holds (what a curious operator can do). */
  async function callFromPage(page: Page, method: string, path: string, body?: unknown): Promise<number> {
    return page.evaluate(
      async ({ method, path, body }) => {
        const key = Object.keys(sessionStorage).find((k) => k.startsWith('oidc.user:')) ?? '';
        const token = (JSON.parse(sessionStorage.getItem(key) ?? '{}') as { id_token?: string }).id_token ?? '';
        const res = await fetch(path, {
          method,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        return res.status;
      },
      { method, path, body },
    );
  }

  async function quotedOrder(reference: string): Promise<string> {
    const ring = torusStl(9, 1.2);
    const created = await clients.request('POST', '/v1/orders', {
      reference,
      dueDate: '2030-06-30',
      items: [{ alloy: 'au750y', quantity: 1, ringSize: { system: 'EU', size: 54 } }],
      file: { name: 'ring.stl', size: ring.length },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const body = createOrderResponse.parse(created.body);
    const parts = await ClientsApi.uploadParts(ring, body.upload);
    const completed = await clients.request('POST', body.upload.completeUrl, { parts });
    expect(completed.status, JSON.stringify(completed.body)).toBe(202);
    await waitFor(`order ${body.order.id} quoted`, async () => {
      const res = await clients.request('GET', `/v1/orders/${body.order.id}`);
      return res.body?.order?.status === 'quoted' ? res : undefined;
    });
    return body.order.id;
  }

  const clientsView = async (id: string) =>
    orderResponse.parse((await clients.request('GET', `/v1/orders/${id}`)).body).order;

  it('serves the site with a strict CSP, and the sign-in leads to the board', async () => {
    // Act
    const res = await fetch(cloud.operatorsSiteUrl);
    // Assess
    const csp = res.headers.get('content-security-policy') ?? '';
    const directives = new Map(
      csp
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([name, ...values]) => [name, values]),
    );
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('style-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const { page, errors } = await signIn('operator');
    // The board polls with If-None-Match: an unchanged board comes back as a 304.
    const notModified = page.waitForResponse((r) => r.url().endsWith('/ops/board') && r.status() === 304, {
      timeout: 15_000,
    });
    await page.getByTestId('board').waitFor();
    expect(await page.getByTestId('board').locator('section').count()).toBe(4 + PRODUCTION_STAGES.length + 1);
    expect((await notModified).request().headers()['if-none-match']).toBeTruthy();
    // Every page of the nav opens under the CSP (no inline script or style refused).
    for (const name of ['Casting trees', 'Attention', 'Board']) await page.getByRole('link', { name }).click();
    await page.getByTestId('board').waitFor();
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('shows a freshly quoted B2B order with its markup as text, and finds it by id', async () => {
    // Prepare
    orderId = await quotedOrder(MARKUP);
    signetId = await quotedOrder('PO-2207 Signet ring');
    const { page, errors } = await signIn('operator');
    // Act
    const card = page.getByTestId('board-card').filter({ hasText: 'Solitaire' });
    await card.waitFor({ timeout: 30_000 });
    // Assess: the reference is shown literally, nothing was injected or run.
    expect(await card.getByTestId('card-reference').textContent()).toBe(MARKUP);
    await expectVisibleText(page, MARKUP);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    const quoted = page.getByTestId('column-quoted');
    expect(await quoted.getByTestId('board-card').filter({ hasText: 'Solitaire' }).count()).toBe(1);
    expect(await card.textContent()).toContain('Aurum Demo Jewellers');
    // The search narrows the board to the order, by id.
    await page.getByLabel('Search').fill(orderId);
    await page.getByTestId('board-status').filter({ hasText: /^1 of/ }).waitFor();
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('runs the order through production from its page; the company sees every stage', async () => {
    // Prepare: the company listens, and confirms the quote.
    const hook = `${cloud.webhookInboxUrl}site-${orderId}`;
    expect((await clients.request('POST', '/v1/webhooks', { url: hook, events: ['*'] })).status).toBe(201);
    expect((await clients.request('POST', `/v1/orders/${orderId}/confirm`, {})).status).toBe(200);
    const { page, errors } = await signIn('operator');
    await page.goto(`${cloud.operatorsSiteUrl}/orders/${orderId}`);
    const status = page.getByTestId('order-status');
    await status.filter({ hasText: 'confirmed' }).waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('order-title').textContent()).toBe(MARKUP);

    // Assess the 3D view: WebGL drew the model (the canvas is not one flat colour).
    await page.getByTestId('model-canvas').waitFor();
    await page.locator('[data-testid="viewer"][data-state="ready"]').waitFor({ timeout: 30_000 });
    expect(await canvasColours(page)).toBeGreaterThan(10);

    // Act: start, hold and resume, then every stage, weighing at casting and finishing, then ship.
    const act = async (button: RegExp | string) => {
      const before = await status.textContent();
      await page.getByRole('button', { name: button }).click();
      await page.waitForFunction(
        (text) => document.querySelector('[data-testid="order-status"]')?.textContent !== text,
        before,
        { timeout: 15_000 },
      );
    };
    await act('Start production');
    await status.filter({ hasText: 'print' }).waitFor();
    const started = await clientsView(orderId);
    await page.getByLabel('Hold reason').fill('Waiting for the client’s stone');
    await page.getByRole('button', { name: 'Hold' }).click();
    await page.getByTestId('hold-note').filter({ hasText: 'On hold: Waiting for the client’s stone' }).waitFor();
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.getByLabel('Hold reason').waitFor();
    for (let i = 1; i < PRODUCTION_STAGES.length; i++) {
      const text = (await status.textContent()) ?? '';
      const point = text.includes('burnout cast') ? 'casting' : text.includes('finish') ? 'finishing' : undefined;
      if (point) {
        await page.getByLabel('Grams in').fill(point === 'casting' ? '12.4' : '11.9');
        await page.getByLabel('Grams out').fill(point === 'casting' ? '11.9' : '11.2');
        await page.getByRole('button', { name: 'Record weights' }).click();
        await page.getByTestId(`loss-${point}`).waitFor();
      }
      await act(/^Advance to/);
    }
    await page.getByLabel('Carrier').fill('DHL');
    await page.getByLabel('Tracking number').fill('JD014600003SE');
    await act('Ship');

    // Assess: what the operator sees, what the company's API says, what its webhook inbox got.
    await status.filter({ hasText: 'shipped' }).waitFor();
    expect(await page.getByTestId('loss-casting').textContent()).toBe('0.50 g');
    expect(await page.getByTestId('loss-finishing').textContent()).toBe('0.70 g');
    expect(await page.getByTestId('audit').textContent()).toContain(user('operator').email);
    expect(started.status).toBe('in_production');
    expect(started.tracking?.currentStage?.id).toBe('print');
    const shipped = await clientsView(orderId);
    expect(shipped.status).toBe('shipped');
    expect(shipped.tracking?.shipment).toMatchObject({ carrier: 'DHL', trackingNumber: 'JD014600003SE' });
    const received = await waitFor('the stage webhooks', async () => {
      const got = (await readWebhookInbox(join(cloud.env.OUTBOX_DIR ?? '', '..', 'webhooks')))
        .filter((h) => h.name === `site-${orderId}`)
        .map((h) => JSON.parse(h.body) as { type: string; data: { stage?: string } });
      return got.some((h) => h.type === 'order.shipped') ? got : undefined;
    });
    const types = received.map((h) => h.type);
    expect(types).toEqual(expect.arrayContaining(['order.in-production', 'order.held', 'order.resumed']));
    const stages = received.filter((h) => h.type === 'order.stage-changed').map((h) => h.data.stage);
    // The inbox lists newest first: each stage after the first, once.
    expect(stages.sort()).toEqual(
      PRODUCTION_STAGES.slice(1)
        .map((s) => s.id)
        .sort(),
    );
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('starts confirmed orders in bulk from the table, and says which were not moved', async () => {
    // Prepare: the signet is confirmed by its company; the shipped order cannot be started.
    expect((await clients.request('POST', `/v1/orders/${signetId}/confirm`, {})).status).toBe(200);
    const { page, errors } = await signIn('operator');
    await page.getByRole('button', { name: 'Table' }).click();
    await page.getByLabel('Search').fill('Signet');
    const row = page.getByTestId('table-row').filter({ hasText: 'Confirmed' });
    await row.waitFor({ timeout: 30_000 });
    // Act
    await page.getByLabel('Search').fill('');
    await page.getByLabel('select PO-2207 Signet ring').check();
    await page.getByLabel(`select ${MARKUP}`).check();
    await page.getByRole('button', { name: 'Start production' }).click();
    // Assess
    await page.getByTestId('bulk-result').filter({ hasText: '1 of 2 moved' }).waitFor();
    expect(await page.getByTestId('bulk-refused').textContent()).toContain(MARKUP);
    expect((await clientsView(signetId)).status).toBe('in_production');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('marks overdue and at-risk cards on a working day’s board (and takes its picture for the README)', async () => {
    // Prepare: a day's worth of open orders of several companies, in every column.
    await seedBoard({ tableName: cloud.env.TABLE_NAME ?? '', bucketName: cloud.env.BUCKET_NAME ?? '' }, 60, 6);
    const { page, errors } = await signIn('operator');
    // Act
    await page
      .getByTestId('board-status')
      .filter({ hasText: /of 6\d orders/ })
      .waitFor({ timeout: 60_000 });
    // Assess: red for overdue, amber for at risk; the filter keeps only those.
    expect(await page.locator('[data-testid="board-card"].overdue').count()).toBeGreaterThan(0);
    await page.getByLabel('At risk only').check();
    const shown = await page.getByTestId('board-card').count();
    const flagged = await page.locator('[data-testid="board-card"]:is(.overdue, .at-risk)').count();
    expect(shown).toBe(flagged);
    await page.getByLabel('At risk only').uncheck();
    // The thumbnails of the cards on screen arrive (POST /ops/thumbnails) before the picture is taken.
    await page.locator('.thumb img').first().waitFor({ timeout: 30_000 });
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll('.thumb img')).every((i) => (i as HTMLImageElement).complete),
    );
    await page.screenshot({ path: join(repoRoot, 'docs/images/operators-board.png') });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('lets an admin create a company and a key that works on the clients API; an operator cannot', async () => {
    // Prepare
    const { page, errors } = await signIn('admin');
    // Act
    await page.getByRole('link', { name: 'Companies' }).click();
    await page.getByLabel('Company name').fill('Atelier <b>Lune</b>');
    await page.getByLabel('Notification email').fill('orders@lune.example');
    await page.getByRole('button', { name: 'Create company' }).click();
    const company = page.getByTestId('company').filter({ hasText: 'Atelier <b>Lune</b>' });
    await company.waitFor();
    await company.getByRole('button', { name: 'Issue live key' }).click();
    const apiKey = (await page.getByTestId('issued-key').textContent()) ?? '';
    // Assess: the key works for the new company; the name stayed text.
    expect(apiKey.length).toBeGreaterThan(20);
    const res = await new ClientsApi(cloud.apiUrl, apiKey).request('GET', '/v1/orders');
    expect(res.status).toBe(200);
    expect(await page.locator('[data-testid="company"] b').count()).toBe(0);
    // Revoked (after a second click), the key no longer opens the API.
    await company.getByRole('button', { name: 'Revoke' }).click();
    await company.getByRole('button', { name: 'Revoke for good' }).click();
    await company.getByTestId('api-key').filter({ hasText: 'revoked' }).waitFor();
    const refused = await waitFor('the key refused', async () => {
      const again = await new ClientsApi(cloud.apiUrl, apiKey).request('GET', '/v1/orders');
      return again.status === 200 ? undefined : again.status;
    });
    expect([401, 403]).toContain(refused);
    expect(errors).toEqual([]);
    await page.context().close();
    // An operator has no Companies in the nav, and the API refuses them.
    const operator = await signIn('operator');
    expect(await operator.page.getByRole('link', { name: 'Companies' }).count()).toBe(0);
    expect(await callFromPage(operator.page, 'GET', '/ops/companies')).toBe(403);
    expect(
      await callFromPage(operator.page, 'POST', '/ops/companies', {
        name: 'Sneaky',
        notificationEmail: 'x@sneaky.example',
      }),
    ).toBe(403);
    expect(await callFromPage(operator.page, 'GET', '/ops/board')).toBe(200);
    await operator.page.context().close();
  });
});

/** The text is on screen as typed (not parsed into elements). */
async function expectVisibleText(page: Page, text: string): Promise<void> {
  await page.getByText(text, { exact: true }).first().waitFor({ state: 'visible' });
}

/** How many distinct colours a sample of the 3D canvas holds (one or two: nothing was drawn). */
async function canvasColours(page: Page): Promise<number> {
  return page.evaluate(() => {
    const source = document.querySelector('[data-testid="model-canvas"]') as HTMLCanvasElement;
    const copy = document.createElement('canvas');
    copy.width = source.width;
    copy.height = source.height;
    const ctx = copy.getContext('2d') as CanvasRenderingContext2D;
    ctx.drawImage(source, 0, 0);
    const data = ctx.getImageData(0, 0, copy.width, copy.height).data;
    const seen = new Set<number>();
    for (let i = 0; i < data.length; i += 4 * 97)
      seen.add((data[i] ?? 0) * 65536 + (data[i + 1] ?? 0) * 256 + (data[i + 2] ?? 0));
    return seen.size;
  });
}
