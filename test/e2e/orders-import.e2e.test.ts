// Settings → Orders import in a browser: upload a CSV file, keep the proposed column mapping,
// dry-run it and read the per-row errors (English and Persian, right to left), then import a
// good file with its progress bar surviving a reload, and find it among the past imports.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../helpers/build';
import { createTestStorage, type TestStorage } from '../helpers/database';
import { ADMIN, login, spawnServer, type Api, type ServerProcess } from '../helpers/server';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = join(root, 'docs/screenshots');

let storage: TestStorage;
let server: ServerProcess;
let browser: Browser;
let admin: Api;
let page: Page;

const bad =
  'Order ID;E-mail;Total;Order date;Currency\n' +
  'E2E-1;e2e-buyer@example.com;"1.234,50";2025-04-01;EUR\n' +
  'E2E-2;e2e-buyer@example.com;۱۲۰;02.04.2025;EUR\n' +
  'E2E-3;not-an-email;10;2025-04-03;EUR\n' +
  'E2E-4;e2e-buyer@example.com;ten;2025-04-04;EUR\n' +
  'E2E-2;e2e-other@example.com;5;2025-04-05;EUR\n' +
  'E2E-6;e2e-other@example.com;5;31.02.2025;EUR\n';

function bigFile(rows: number): string {
  const lines = ['Order ID;E-mail;Total;Order date'];
  for (let i = 0; i < rows; i++)
    lines.push(`E2E-B${i};e2e-${i % 3000}@example.com;${(i % 90) + 9.99};2025-0${1 + (i % 9)}-15`);
  return lines.join('\n');
}

const hasChromium = existsSync(CHROMIUM);

describe.skipIf(!hasChromium)('Settings → Orders import', () => {
  beforeAll(async () => {
    await ensureBuilt();
    storage = await createTestStorage();
    server = await spawnServer(storage);
    admin = await login(server.url);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
    mkdirSync(SCREENSHOTS, { recursive: true });
    const context = await browser.newContext({
      viewport: { width: 1280, height: 1000 },
      locale: 'en-US',
    });
    page = await context.newPage();
    await page.goto(`${server.url}/#/settings/orders`);
    await page.getByTestId('login-email').fill(ADMIN.email);
    await page.getByTestId('login-password').fill(ADMIN.password);
    await page.getByTestId('login-submit').click();
    await page.goto(`${server.url}/#/settings/orders`);
    await page.getByTestId('import-file').waitFor({ timeout: 20_000 });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await storage?.cleanup();
  });

  const uploadFile = async (name: string, text: string) => {
    await page
      .getByTestId('import-file')
      .setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await page.getByRole('heading', { name: `Columns of ${name}` }).waitFor();
  };

  it('proposes the mapping and shows each bad row with its column and problem', async () => {
    await uploadFile('shop-export.csv', bad);
    expect(await page.getByTestId('import-map-externalId').inputValue()).toBe('Order ID');
    expect(await page.getByTestId('import-map-email').inputValue()).toBe('E-mail');
    expect(await page.getByTestId('import-map-placedAt').inputValue()).toBe('Order date');
    expect(await page.getByTestId('import-start').isDisabled()).toBe(true);
    await page.getByTestId('import-check').click();
    const errors = page.getByTestId('import-errors');
    await errors.waitFor({ timeout: 30_000 });
    const cells = await errors
      .locator('tbody tr')
      .evaluateAll((rows) =>
        rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent ?? '')),
      );
    expect(cells).toEqual([
      ['4', 'E-mail', '“not-an-email” is not a valid e-mail or phone number'],
      ['5', 'Total', '“ten” is not an amount'],
      ['6', 'Order ID', 'Order number “E2E-2” appears earlier in the file'],
      ['7', 'Order date', '“31.02.2025” is not a date'],
    ]);
    await page.getByTestId('import-summary').getByText('4 rows have errors').waitFor();
    expect(await page.getByTestId('import-start').isDisabled()).toBe(true);
    await page.getByRole('tab', { name: 'Orders import' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'orders-import.png'), fullPage: true });

    await page.getByTestId('locale-select').selectOption('fa');
    await errors.getByText(/مبلغ نیست/).waitFor();
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    await page.screenshot({ path: join(SCREENSHOTS, 'orders-import-fa.png'), fullPage: true });
    await page.getByTestId('locale-select').selectOption('ru');
    await errors.getByText(/не сумма/).waitFor();
    await page.getByTestId('locale-select').selectOption('en');
  }, 60_000);

  it('imports a good file with a progress bar that survives a reload', async () => {
    const rows = 20_000;
    await uploadFile('big.csv', bigFile(rows));
    await page.getByTestId('import-check').click();
    await page
      .getByTestId('import-summary')
      .getByText('No errors. An import would create 20,000')
      .waitFor({ timeout: 60_000 });
    await page.getByTestId('import-start').click();
    await page.getByTestId('import-progress').waitFor({ timeout: 10_000 });
    await page.reload();
    await page
      .locator('[data-testid="import-progress"], [data-testid="import-summary"]')
      .first()
      .waitFor({ timeout: 20_000 });
    await page
      .getByTestId('import-summary')
      .getByText('Imported: 20,000 new, 0 updated, 0 unchanged; new customers: 3,000.')
      .waitFor({ timeout: 90_000 });
    const history = page.getByTestId('import-history');
    await history.getByText('big.csv').first().waitFor();
    await history.getByText('20,000 new, 0 updated, 0 unchanged').first().waitFor();
    const count = await admin.get<{ items: { status: string; created: number | null }[] }>(
      '/api/v1/orders/imports',
    );
    expect(count.body.items[0]).toMatchObject({ status: 'done', created: rows });
  }, 180_000);

  it('sets the accepted currencies and their rates', async () => {
    await page.getByRole('button', { name: 'Add a currency' }).click();
    await page.getByLabel('Currency', { exact: true }).last().fill('eur');
    await page.getByLabel('1 unit = ? USD').last().fill('1,08');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect
      .poll(
        async () =>
          (await admin.get<{ rates: Record<string, number> }>('/api/v1/crm/currencies')).body,
      )
      .toEqual({ rates: { EUR: 1.08 } });
  });
});
