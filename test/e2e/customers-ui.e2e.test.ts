// The Customers screen in the real app: the real server process, the built inbox, headless
// Debian Chromium driven by playwright-core. A supervisor sees valuable customers at risk of
// leaving (reasons in words) and opens one's latest conversation in one click; reviews possible
// duplicates side by side, merges one pair and undoes it, dismisses another; the list filters by
// value tier and shows the badges; Persian turns the screen right-to-left.
// Takes docs/screenshots/customers-churn.png, customers-merges.png and customers-merges-fa.png.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulateOrders } from '../../src/clv/simulate';
import { ensureBuilt } from '../helpers/build';
import { createTestStorage, type TestStorage } from '../helpers/database';
import {
  ADMIN,
  login,
  newVisitorWrites,
  spawnServer,
  type Api,
  type ServerProcess,
} from '../helpers/server';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = join(root, 'docs/screenshots');

interface Conv {
  id: string;
  contact: { id: string; name: string };
}

let storage: TestStorage;
let server: ServerProcess;
let browser: Browser;
let page: Page;
let admin: Api;
let sara: { conversationId: string; contactId: string };

async function customer(name: string, text: string) {
  const conversationId = await newVisitorWrites(server.url, text);
  const conv = await admin.get<Conv>(`/api/v1/conversations/${conversationId}`);
  await admin.send('PATCH', `/api/v1/contacts/${conv.body.contact.id}`, { name });
  return { conversationId, contactId: conv.body.contact.id };
}

async function seed(): Promise<void> {
  const simulated = simulateOrders({
    customers: 150,
    bgNbd: { r: 0.5, alpha: 20, a: 0.8, b: 2.5 },
    gammaGamma: { p: 6, q: 4, gamma: 15 },
    start: '2024-01-01',
    cohortDays: 60,
    asOf: '2024-12-31',
    seed: 11,
  });
  const orders: Record<string, unknown>[] = simulated.map((o, i) => ({
    externalId: `S-${i}`,
    identity: { kind: 'email', value: `${o.contactId}@sim.example.com` },
    amount: o.amount,
    placedAt: o.orderedAt.toISOString(),
  }));
  // Sara bought every two weeks until April, for a lot, and then stopped; she also complains.
  sara = await customer('سارا احمدی', 'سفارش من هنوز نرسیده است.');
  for (let k = 0; k < 8; k++)
    orders.push({
      externalId: `SARA-${k}`,
      contactId: sara.contactId,
      amount: 400,
      placedAt: new Date(Date.UTC(2024, 0, 5 + 14 * k)).toISOString(),
    });
  // One customer, two forms of one Gmail address: two contacts.
  orders.push(
    {
      externalId: 'DUP-1',
      identity: { kind: 'email', value: 'daniel.kim@gmail.com' },
      amount: 30,
      placedAt: '2024-05-01',
    },
    {
      externalId: 'DUP-2',
      identity: { kind: 'email', value: 'danielkim+shop@googlemail.com' },
      amount: 45,
      placedAt: '2024-06-01',
    },
  );
  const written = await admin.send<{ errors: unknown[] }>('POST', '/api/v1/orders', { orders });
  expect(written.body.errors).toEqual([]);
  expect(
    (await admin.send('POST', '/api/v1/analytics/clv/fit', { asOf: '2024-12-31' })).status,
  ).toBe(200);
  expect(
    (
      await admin.send('POST', `/api/v1/conversations/${sara.conversationId}/complaint`, {
        category: 'delivery',
        severity: 'high',
      })
    ).status,
  ).toBe(201);
  // One name in Persian and in Latin letters.
  await customer('محمد رضایی', 'سلام، کی ارسال می‌شود؟');
  await customer('Mohammad Rezaei', 'Hello, when does it ship?');
  expect((await admin.send('POST', '/api/v1/crm/merge-suggestions/refresh')).status).toBe(200);
}

async function shot(name: string): Promise<void> {
  const toasts = page.locator('.toast .icon-button');
  while ((await toasts.count()) > 0)
    await toasts
      .first()
      .click({ timeout: 1_000 })
      .catch(() => undefined);
  await page.setViewportSize({ width: 1280, height: 1100 });
  await page.screenshot({ path: join(SCREENSHOTS, name) });
  await page.setViewportSize({ width: 1280, height: 800 });
}

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(`customers e2e skipped: ${CHROMIUM} is missing (apt-get install chromium)`);

describe.skipIf(!hasChromium)('the Customers screen in the browser', () => {
  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await ensureBuilt();
    storage = await createTestStorage();
    server = await spawnServer(storage);
    admin = await login(server.url);
    await seed();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
    page = await (
      await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' })
    ).newPage();
    await page.goto(`${server.url}/#/inbox/all`);
    await page.getByTestId('login-email').fill(ADMIN.email);
    await page.getByTestId('login-password').fill(ADMIN.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('conversation-list').waitFor();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await storage?.cleanup();
  });

  it('lists customers at risk of leaving with reasons in words, and opens one in a click', async () => {
    await page.getByRole('link', { name: 'Customers' }).click();
    const table = page.getByTestId('churn-table');
    await table.waitFor();
    const row = page.locator('[data-testid="churn-row"]', { hasText: 'سارا احمدی' });
    await row.waitFor();
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('Has an open complaint');
    expect(text).toMatch(/Silent for \d+ days/);
    expect(await row.getByTestId('tier-badge').count()).toBe(1);
    expect(await row.getByTestId('segment-badge').textContent()).toBeTruthy();
    await shot('customers-churn.png');

    await row.getByRole('button', { name: 'Open latest conversation' }).click();
    await page.waitForURL(new RegExp(`/c/${sara.conversationId}`));
  });

  it('filters the inbox by tier and shows the badges on the rows', async () => {
    const contact = await admin.get<{ tier: string }>(`/api/v1/contacts/${sara.contactId}`);
    await page.goto(`${server.url}/#/inbox/all?status=any&tier=${contact.body.tier}`);
    const rowsOf = page.locator('[data-testid="conversation-row"]');
    await page
      .locator(`[data-testid="conversation-row"][data-id="${sara.conversationId}"]`)
      .waitFor();
    // Only the tier's customers: the web visitors without orders have no tier and are not listed.
    expect(await rowsOf.count()).toBe(1);
    expect(await page.getByTestId('filter-tier').inputValue()).toBe(contact.body.tier);
    const badge = rowsOf.first().getByTestId('tier-badge');
    expect(((await badge.textContent()) ?? '').toLowerCase()).toBe(contact.body.tier);
  });

  it('reads right-to-left in Persian', async () => {
    await page.getByTestId('locale-select').selectOption('fa');
    await page.goto(`${server.url}/#/customers/churn`);
    await page.getByTestId('churn-table').waitFor();
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    const row = page.locator('[data-testid="churn-row"]', { hasText: 'سارا احمدی' });
    expect(await row.textContent()).toContain('شکایت باز دارد');
    await page.getByRole('tab', { name: 'تکراری‌های احتمالی' }).click();
    await page.locator('[data-testid="merge-suggestion"]').first().waitFor();
    expect(await page.getByText('ایمیل یکسان', { exact: false }).count()).toBe(1);
    expect(await page.getByRole('heading', { name: 'مشتریان' }).count()).toBe(1);
    await shot('customers-merges-fa.png');
    await page.getByTestId('locale-select').selectOption('en');
  });

  it('merges a suggested pair, undoes it, and dismisses a pair for good', async () => {
    const listed = await admin.get<{
      items: { reasons: { kind: string }[]; contacts: { id: string }[] }[];
    }>('/api/v1/crm/merge-suggestions');
    const pair = listed.body.items
      .find((x) => x.reasons.some((r) => r.kind === 'email'))!
      .contacts.map((c) => c.id);
    await page.goto(`${server.url}/#/customers/merges`);
    const byEmail = page.locator('[data-testid="merge-suggestion"]', { hasText: 'Same e-mail' });
    const byName = page.locator('[data-testid="merge-suggestion"]', { hasText: 'Similar names' });
    await byEmail.waitFor();
    await byName.waitFor();
    expect(await byEmail.getByTestId('merge-contact').count()).toBe(2);
    expect(await byName.textContent()).toContain('محمد رضایی');
    await shot('customers-merges.png');

    await byEmail.getByRole('button', { name: 'Merge' }).click();
    const done = page.getByTestId('merge-done');
    await expect.poll(() => done.textContent()).toMatch(/^Merged into/);
    await expect.poll(() => byEmail.count()).toBe(0);
    await done.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => done.textContent()).toContain('The merge was undone.');
    // Undone: the two profiles are apart again, each with its own address.
    for (const id of pair)
      expect(
        (await admin.get<{ identities: unknown[] }>(`/api/v1/contacts/${id}`)).body.identities,
      ).toHaveLength(1);

    await byName.getByRole('button', { name: 'Not the same person' }).click();
    await expect.poll(() => done.textContent()).toContain('will not be suggested again');
    await expect.poll(() => byName.count()).toBe(0);
    const left = await admin.get<{ items: unknown[] }>('/api/v1/crm/merge-suggestions');
    expect(left.body.items).toEqual([]);
  });
});
