// The Reports page in the real app: the in-process server (so the test can lay down a month of
// history with SQL), the built inbox, headless Debian Chromium driven by playwright-core. The
// chart code is fetched only when Reports opens; the charts draw on their canvases; the tables
// show what the API answered; a table downloads as CSV; the filters and presets ask again; the
// page reads right to left in Persian with Persian calendar days.
// Takes docs/screenshots/reports.png and reports-fa.png.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { chromium } from 'playwright-core';
import type { Browser, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulateOrders } from '../../src/clv/simulate';
import { queryRows } from '../../src/db/rows';
import { ensureBuilt } from '../helpers/build';
import { ADMIN, login, startTestServer, type Api, type TestServer } from '../helpers/server';
import type { SummaryReport as Summary } from '../../src/crm/report.service';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = join(root, 'docs/screenshots');

let app: TestServer;
let admin: Api;
let browser: Browser;
let page: Page;
let smsInbox = '';
const scripts: string[] = [];

async function one<T>(query: ReturnType<typeof sql>): Promise<T> {
  const [row] = await queryRows<T>(app.server.database.db, query);
  if (!row) throw new Error('no row');
  return row;
}

/** A month of work in four inboxes, laid down directly: conversations, messages, complaints. */
async function seed(): Promise<void> {
  const db = app.server.database.db;
  smsInbox = (
    await one<{ id: string }>(
      sql`insert into inboxes (name, channel) values ('Support SMS', 'sms') returning id`,
    )
  ).id;
  await db.execute(sql`insert into inboxes (name, channel) values ('Support mail', 'email'),
                                                              ('Telegram shop', 'telegram')`);
  const policy = await one<{ id: string }>(
    sql`insert into sla_policies (name) values ('Standard') returning id`,
  );
  await db.execute(
    sql`insert into contacts (name) select 'customer ' || g from generate_series(1, 240) g`,
  );
  // Days 1–28 back, during the working day, spread over the inboxes (web chat the busiest).
  await db.execute(sql`
    insert into conversations (inbox_id, contact_id, channel, status, created_at, first_reply_at,
                               resolved_at, csat, sla_policy_id, sla_state)
    select i.id, c.id, i.channel, case when c.n % 3 = 0 then 'open' else 'resolved' end::conversation_status,
           t, case when c.n % 9 <> 0 then t + (60 + (c.n * 37) % 1800) * interval '1 second' end,
           case when c.n % 3 <> 0 then t + (600 + (c.n * 311) % 20000) * interval '1 second' end,
           case when c.n % 4 = 0 then 1 + (c.n * 7 / 4) % 5 end, ${policy.id}::uuid,
           case when c.n % 7 = 0 then 'breached' else 'ok' end
      from (select id, row_number() over (order by name) as n from contacts where name like 'customer %') c
      join lateral (select id, channel from inboxes
                     order by case channel when 'webchat' then c.n % 2 when 'sms' then (c.n + 1) % 3
                                           when 'email' then (c.n + 2) % 4 else (c.n + 3) % 5 end, name
                     limit 1) i on true,
      lateral (select date_trunc('day', now()) - (1 + c.n % 28) * interval '1 day'
                      + (8 + (c.n * 7) % 11) * interval '1 hour' + ((c.n * 13) % 60) * interval '1 minute' as t) x`);
  await db.execute(sql`
    insert into messages (conversation_id, inbox_id, direction, sender_type, text, status, created_at)
    select cv.id, cv.inbox_id, d.direction::direction, d.sender::sender_type, 'hello', 'sent',
           cv.created_at + d.after
      from conversations cv,
           lateral (values ('in', 'contact', interval '0'), ('out', 'user', interval '4 minutes'),
                           ('in', 'contact', interval '20 minutes')) d(direction, sender, after)`);
  await db.execute(sql`
    insert into complaints (conversation_id, contact_id, level, status, category, created_at)
    select cv.id, cv.contact_id,
           case when n / 4 % 6 = 0 then 3 when n / 4 % 3 = 0 then 2 else 1 end,
           case when n % 15 = 0 then 'open' else 'resolved' end::complaint_status,
           (array['delivery', 'billing', 'product', 'delivery', 'refund', 'delivery', 'billing'])[1 + n / 4 % 7],
           cv.created_at + interval '5 minutes'
      from (select id, contact_id, created_at, row_number() over (order by created_at) as n
              from conversations) cv
     where n % 4 = 0`);
  // Customers with orders, and the value model fitted on them (segments, tiers, forecast).
  const orders = simulateOrders({
    customers: 300,
    bgNbd: { r: 0.5, alpha: 20, a: 0.8, b: 2.5 },
    gammaGamma: { p: 6, q: 4, gamma: 15 },
    start: '2024-01-01',
    cohortDays: 60,
    asOf: '2024-12-31',
    seed: 3,
  }).map((o, i) => ({
    externalId: `R-${i}`,
    identity: { kind: 'email', value: `${o.contactId}@shop.example.com` },
    amount: o.amount,
    placedAt: o.orderedAt.toISOString(),
  }));
  expect((await admin.send('POST', '/api/v1/orders', { orders })).status).toBe(200);
  expect(
    (await admin.send('POST', '/api/v1/analytics/clv/fit', { asOf: '2024-12-31' })).status,
  ).toBe(200);
}

const isSummary = (r: Response) => r.url().includes('/api/v1/reports/summary');
const chartChunk = () => scripts.filter((u) => /\/assets\/ReportChart-[\w-]+\.js$/.test(u));

/** Rows of a table on the page, cell texts. */
const tableRows = (id: string) =>
  page
    .getByTestId(`table-${id}`)
    .locator('tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')),
    );

/** How many pixels of a canvas are painted (a chart drawn, not an empty box). */
const painted = (testId: string) =>
  page.getByTestId(testId).evaluate((el) => {
    if (!(el instanceof HTMLCanvasElement)) return 0;
    const ctx = el.getContext('2d');
    if (!ctx) return 0;
    const data = ctx.getImageData(0, 0, el.width, el.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
    return n;
  });

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(`reports-ui e2e skipped: ${CHROMIUM} is missing (apt-get install chromium)`);

describe.skipIf(!hasChromium)('the Reports page in the browser', () => {
  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await ensureBuilt();
    app = await startTestServer();
    admin = await login(app.url);
    await seed();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
    page = await (
      await browser.newContext({
        viewport: { width: 1280, height: 800 },
        locale: 'en-US',
        timezoneId: 'Asia/Tehran',
        acceptDownloads: true,
      })
    ).newPage();
    page.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.push(r.url());
    });
    await page.goto(`${app.url}/#/inbox/all`);
    await page.getByTestId('login-email').fill(ADMIN.email);
    await page.getByTestId('login-password').fill(ADMIN.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('conversation-list').waitFor();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('fetches the chart code only when Reports opens, and draws the charts', async () => {
    expect(scripts.length).toBeGreaterThan(0);
    expect(chartChunk()).toEqual([]);
    expect(scripts.some((u) => /\/assets\/Reports-/.test(u))).toBe(false);

    const answered = page.waitForResponse(isSummary);
    await page.getByRole('link', { name: 'Reports' }).click();
    const report = (await (await answered).json()) as Summary;
    await page.getByTestId('canvas-byHour').waitFor();
    expect(chartChunk()).toHaveLength(1);

    // The default period is the last 30 days (Tehran's days): the whole seeded month.
    expect(report.conversations.total).toBe(240);
    expect(report.complaints.total).toBe(60);
    for (const id of ['canvas-byHour', 'canvas-byChannel', 'canvas-complaints', 'canvas-csat'])
      await expect.poll(() => painted(id), { timeout: 10_000 }).toBeGreaterThan(500);

    // The table holds what the API answered, channel by channel.
    const rows = await tableRows('byChannel');
    expect(rows).toEqual(
      report.conversations.byChannel.map((c) => [
        { webchat: 'Web chat', sms: 'SMS', email: 'Email', telegram: 'Telegram' }[c.channel] ??
          c.channel,
        c.conversations.toLocaleString('en-US'),
        c.messagesIn.toLocaleString('en-US'),
        c.messagesOut.toLocaleString('en-US'),
      ]),
    );
    expect(await page.getByTestId('forecast-text').textContent()).toMatch(
      /^Next 365 days: [\d,.]+ purchases expected \(95%: [\d,.]+ to [\d,.]+\), worth [\d,.]+\.$/,
    );

    await page.setViewportSize({ width: 1280, height: 2300 });
    await page.screenshot({ path: join(SCREENSHOTS, 'reports.png') });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('downloads a table as CSV that Excel reads (BOM) with the same numbers', async () => {
    const answered = page.waitForResponse(isSummary);
    await page.getByTestId('preset-last7').click();
    const report = (await (await answered).json()) as Summary;
    expect(new URL((await answered).url()).searchParams.get('timeZone')).toBe('Asia/Tehran');
    expect(report.conversations.total).toBeLessThan(240);
    expect(await page.getByTestId('preset-last7').getAttribute('aria-pressed')).toBe('true');
    await expect
      .poll(async () => (await tableRows('byChannel')).map((r) => r[1]))
      .toEqual(report.conversations.byChannel.map((c) => String(c.conversations)));

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('csv-byChannel').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(
      /^byChannel_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv$/,
    );
    const path = await download.path();
    const text = readFileSync(path, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe('Channel,Conversations,Messages in,Messages out');
    expect(lines.slice(1)).toEqual(
      report.conversations.byChannel.map((c) =>
        [
          { webchat: 'Web chat', sms: 'SMS', email: 'Email', telegram: 'Telegram' }[c.channel] ??
            c.channel,
          c.conversations,
          c.messagesIn,
          c.messagesOut,
        ].join(','),
      ),
    );
  });

  it('asks again for one inbox', async () => {
    const answered = page.waitForResponse(
      (r) => isSummary(r) && r.url().includes(`inboxId=${smsInbox}`),
    );
    await page.getByTestId('filter-inbox').selectOption(smsInbox);
    const report = (await (await answered).json()) as Summary;
    expect(report.conversations.byChannel.map((c) => c.channel)).toEqual(['sms']);
    await expect.poll(() => tableRows('byChannel')).toHaveLength(1);
    // The address keeps the report: a reload (or a colleague with the link) sees the same one.
    expect(page.url()).toContain(`inbox=${smsInbox}`);
    const again = page.waitForResponse(
      (r) => isSummary(r) && r.url().includes(`inboxId=${smsInbox}`),
    );
    await page.reload();
    await again;
    expect(await page.getByTestId('filter-inbox').inputValue()).toBe(smsInbox);
    await page.getByTestId('filter-inbox').selectOption('');
    await expect.poll(() => page.url()).not.toContain('inbox=');
  });

  it('reads right to left in Persian, with Persian calendar days', async () => {
    await page.getByTestId('locale-select').selectOption('fa');
    await expect.poll(() => page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await page.getByTestId('range-calendar').selectOption('persian');
    await page.getByTestId('preset-last30').click();
    // 14xx/mm/dd: the Persian year of today.
    await expect
      .poll(() => page.getByTestId('range-from').inputValue())
      .toMatch(/^14\d\d\/\d\d\/\d\d$/);
    await page.getByTestId('preset-thisMonth').click();
    expect(await page.getByTestId('range-from').inputValue()).toMatch(/^14\d\d\/\d\d\/01$/);
    await page.getByTestId('preset-last30').click();
    await page.getByRole('heading', { name: 'گزارش‌ها', level: 1 }).waitFor();
    await expect.poll(() => painted('canvas-byHour'), { timeout: 10_000 }).toBeGreaterThan(500);
    // A typed day that is no Persian day says so, and nothing is asked.
    await page.getByTestId('range-from').fill('1404/13/40');
    await page.getByRole('alert').waitFor();
    await page.getByTestId('preset-last30').click();

    await page.setViewportSize({ width: 1280, height: 2300 });
    await page.screenshot({ path: join(SCREENSHOTS, 'reports-fa.png') });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByTestId('locale-select').selectOption('en');
  });
});
