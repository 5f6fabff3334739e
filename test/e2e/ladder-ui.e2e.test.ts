// The complaint ladder in the real app: the real server process, the built inbox, headless
// Debian Chromium driven by playwright-core. An agent opens a complaint in the thread and watches
// its SLA countdown; a supervisor's board shows every escalation by level; an admin edits SLA
// policies, a business-hours calendar with Persian holidays (in Persian), and rules.
// Takes docs/screenshots/complaint-panel.png, escalation-board.png, sla-settings.png,
// business-hours-fa.png and rules-settings.png.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../helpers/build';
import { createTestStorage, type TestStorage } from '../helpers/database';
import {
  ADMIN,
  login,
  newVisitorWrites,
  spawnServer,
  waitFor,
  type Api,
  type ServerProcess,
} from '../helpers/server';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = join(root, 'docs/screenshots');

interface Conv {
  id: string;
  level: number;
  slaState: string | null;
  contact: { id: string; name: string };
  complaint: { reference: string; level: number; legalFlag: boolean } | null;
}
interface Calendar {
  id: string;
  name: string;
  holidays: string[];
}

let storage: TestStorage;
let server: ServerProcess;
let browser: Browser;
let page: Page;
let admin: Api;
const ids: Record<'sara' | 'daniel' | 'oleg' | 'emma', string> = {
  sara: '',
  daniel: '',
  oleg: '',
  emma: '',
};

async function customer(name: string, text: string): Promise<string> {
  const id = await newVisitorWrites(server.url, text);
  const conv = await admin.get<Conv>(`/api/v1/conversations/${id}`);
  await admin.send('PATCH', `/api/v1/contacts/${conv.body.contact.id}`, { name });
  return id;
}

const conversation = async (id: string) =>
  (await admin.get<Conv>(`/api/v1/conversations/${id}`)).body;

async function seed(): Promise<void> {
  // Legal risk is answered within the minute (amber at once, red a minute later); the rest by a
  // standard policy, tighter for complaints higher up the ladder.
  expect(
    (
      await admin.send('POST', '/api/v1/sla-policies', {
        name: 'Legal risk: answer within the minute',
        appliesTo: { levels: [4] },
        firstResponseMinutes: 1,
        resolutionMinutes: 60,
        warningPercent: 1,
        position: 0,
      })
    ).status,
  ).toBe(201);
  expect(
    (
      await admin.send('POST', '/api/v1/sla-policies', {
        name: 'Standard',
        firstResponseMinutes: 30,
        nextResponseMinutes: 60,
        resolutionMinutes: 480,
        levelTargets: { '2': { resolutionMinutes: 240 }, '3': { resolutionMinutes: 120 } },
        warningPercent: 80,
        position: 10,
      })
    ).status,
  ).toBe(201);

  ids.sara = await customer('Sara Ahmadi', 'سلام، سفارش ۱۰۴۲ من ده روز است که نرسیده.');
  ids.daniel = await customer(
    'Daniel Kim',
    'The payment went through twice. Please refund one of them today.',
  );
  ids.emma = await customer('Emma Clarke', 'The jacket arrived torn at the seam.');
  ids.oleg = await customer('Олег Смирнов', 'Если не вернёте деньги, я подам в суд.');

  await admin.send('POST', `/api/v1/conversations/${ids.daniel}/escalate`, {
    reason: 'Charged twice; customer mentions a bank dispute.',
    level: 2,
  });
  await admin.send('POST', `/api/v1/conversations/${ids.emma}/complaint`, {
    category: 'product',
    severity: 'medium',
    desiredOutcome: 'A replacement',
  });
  // The shipped legal rule moves Oleg's conversation to level 4 with the legal flag.
  const oleg = await waitFor(
    () => conversation(ids.oleg),
    (c) => c.level === 4 && c.complaint?.legalFlag === true,
    20_000,
  );
  expect(oleg.level).toBe(4);
}

/** Closes the notices so that a screenshot shows the screen, not the toasts over it. */
async function dismissToasts(): Promise<void> {
  const toasts = page.locator('.toast .icon-button');
  // A toast may leave on its own (after eight seconds) between counting and clicking.
  while ((await toasts.count()) > 0)
    await toasts
      .first()
      .click({ timeout: 1_000 })
      .catch(() => undefined);
}

/** Settings scroll inside their pane: a taller window shows a whole editor in one picture. */
async function settingsShot(name: string): Promise<void> {
  await dismissToasts();
  await page.setViewportSize({ width: 1280, height: 1500 });
  await page.screenshot({ path: join(SCREENSHOTS, name) });
  await page.setViewportSize({ width: 1280, height: 800 });
}

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(`ladder-ui e2e skipped: ${CHROMIUM} is missing (apt-get install chromium)`);

describe.skipIf(!hasChromium)('the complaint ladder in the browser', () => {
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
      await browser.newContext({
        viewport: { width: 1280, height: 800 },
        locale: 'en-US',
        timezoneId: 'Asia/Tehran',
      })
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

  it('opens a complaint in the thread, with a live SLA countdown', async () => {
    await page.goto(`${server.url}/#/inbox/all/c/${ids.sara}`);
    const panel = page.getByTestId('complaint-panel');
    await panel.waitFor();
    expect(await panel.textContent()).toContain('No complaint on this conversation.');

    // The list row and the thread count down the first response (30 minutes, every second).
    const row = page.locator(`[data-testid="conversation-row"][data-id="${ids.sara}"]`);
    const badge = row.getByTestId('sla-countdown');
    await badge.waitFor();
    expect(await badge.getAttribute('data-tone')).toBe('ok');
    const clock = panel.getByTestId('sla-firstResponse');
    const before = await clock.textContent();
    expect(before).toMatch(/^(29|30)m \d\ds left$/);
    await expect.poll(() => clock.textContent(), { timeout: 5_000 }).not.toBe(before);

    await page.getByTestId('complaint-open').click();
    const form = page.getByTestId('complaint-open-form');
    await form.getByLabel('Category').selectOption('delivery');
    await form.getByLabel('Severity').selectOption('high');
    await form.getByLabel('What happened').fill('Order 1042 is ten days late; no tracking update.');
    await form.getByLabel('What the customer wants').fill('Delivery this week or a refund');
    await page.getByTestId('complaint-open-submit').click();

    const reference = page.getByTestId('complaint-reference');
    await expect
      .poll(() => reference.textContent(), { timeout: 15_000 })
      .toMatch(/^C-\d{2}-\d{4}$/);
    const conv = await conversation(ids.sara);
    expect(conv.complaint?.reference).toBe(await reference.textContent());
    expect(conv.level).toBe(1);

    // What we offered is kept on the complaint; the timeline names who opened it.
    await page.getByTestId('complaint-form').waitFor({ timeout: 15_000 });
    await page
      .locator('textarea[name="offered"]')
      .fill('Express re-shipment at our cost, arriving Thursday');
    await page.getByTestId('complaint-save').click();
    await expect
      .poll(
        async () =>
          (
            await admin.get<{ offered: string | null }>(
              `/api/v1/conversations/${ids.sara}/complaint`,
            )
          ).body.offered,
        { timeout: 10_000 },
      )
      .toBe('Express re-shipment at our cost, arriving Thursday');
    const timeline = await page.getByTestId('complaint-timeline').textContent();
    expect(timeline).toContain('complaint opened');
    expect(timeline).toContain('Admin');
    await dismissToasts();
    await page.getByTestId('complaint-timeline').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'complaint-panel.png') });
  });

  it('shows the supervisor a board by level, with ages and SLA states', async () => {
    await page.goto(`${server.url}/#/inbox/escalated`);
    const board = page.getByTestId('escalation-board');
    await board.waitFor();
    const level4 = board.getByTestId('board-level-4');
    await level4.getByText('Олег Смирнов').waitFor({ timeout: 15_000 });
    await board.getByTestId('board-level-2').getByText('Daniel Kim').waitFor();
    await board.getByTestId('board-level-1').getByText('Sara Ahmadi').waitFor();
    await board.getByTestId('board-level-1').getByText('Emma Clarke').waitFor();
    // The legal-risk policy warns at once: the level-4 card turns amber (then red) live.
    await level4
      .locator(
        '[data-testid="sla-countdown"][data-tone="warning"], [data-testid="sla-countdown"][data-tone="breached"]',
      )
      .waitFor({ timeout: 20_000 });
    expect(await level4.textContent()).toContain('Legal risk');

    // A customer who writes of a lawyer while the board is open: the card arrives at level 4
    // live, and the supervisor is told by the shipped rule's notification.
    await newVisitorWrites(server.url, 'اگر پولم را پس ندهید از طریق وکیل شکایت قانونی می‌کنم.');
    await level4
      .getByTestId('board-card')
      .filter({ hasText: 'از طریق وکیل' })
      .waitFor({ timeout: 20_000 });
    await page.locator('.toast', { hasText: 'Legal risk' }).first().waitFor({ timeout: 10_000 });
    await dismissToasts();
    await page.screenshot({ path: join(SCREENSHOTS, 'escalation-board.png') });

    await level4.getByTestId('board-card').first().click();
    await page.getByTestId('complaint-legal').waitFor();
    expect(page.url()).toContain(`/c/${ids.oleg}`);
  });

  it('edits SLA policies with targets per level', async () => {
    await page.goto(`${server.url}/#/settings/sla`);
    const row = page.locator('.rows__item', { hasText: 'Standard' });
    await row.waitFor();
    await row.getByRole('button', { name: 'Edit' }).click();
    const editor = page.getByTestId('sla-editor');
    expect(await editor.getByTestId('sla-firstResponse').inputValue()).toBe('30');
    await editor.getByLabel('Level 2 · Supervisor · First response').fill('20');
    await settingsShot('sla-settings.png');
    await page.getByTestId('sla-save').click();
    await expect
      .poll(async () => {
        const list = await admin.get<{
          items: { name: string; levelTargets: Record<string, Record<string, number>> }[];
        }>('/api/v1/sla-policies');
        return list.body.items.find((p) => p.name === 'Standard')?.levelTargets['2'];
      })
      .toEqual({ firstResponseMinutes: 20, resolutionMinutes: 240 });
  });

  it('enters holidays in the Persian calendar, in Persian, with Nowruz in one click', async () => {
    await page.getByTestId('locale-select').selectOption('fa');
    await page.goto(`${server.url}/#/settings/hours`);
    await page.getByTestId('hours-new').click();
    const editor = page.getByTestId('hours-editor');
    await editor.getByTestId('hours-name').fill('دفتر تهران');
    // 14 Khordad 1405, typed with Persian digits.
    await editor.getByTestId('hours-persian').fill('۱۴۰۵/۰۳/۱۴');
    await editor.getByTestId('hours-add-persian').click();
    await editor.getByTestId('hours-nowruz').click();
    await expect.poll(() => editor.getByTestId('hours-holidays').locator('li').count()).toBe(7);
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    await settingsShot('business-hours-fa.png');

    // Nonsense is refused where it is typed, not sent.
    await editor.getByTestId('hours-persian').fill('۱۴۰۵/۱۳/۰۱');
    await editor.getByTestId('hours-add-persian').click();
    await editor.getByRole('alert').waitFor();

    await page.getByTestId('hours-save').click();
    const saved = await waitFor(
      async () =>
        (await admin.get<{ items: Calendar[] }>('/api/v1/business-hours')).body.items.find(
          (c) => c.name === 'دفتر تهران',
        ),
      (c) => c !== undefined,
    );
    expect(saved?.holidays).toContain('2026-06-04');
    expect(saved?.holidays).toHaveLength(7);
    // Nowruz of the coming Persian year: Farvardin 1 falls on 20 or 21 March.
    expect(saved?.holidays.some((h) => /^\d{4}-03-2[01]$/.test(h))).toBe(true);

    // The due tester asks the server: 60 open minutes from a Friday (closed in Iran).
    const tester = page.getByTestId('hours-tester');
    await tester.locator('select').selectOption(saved!.id);
    await tester.locator('input[type="datetime-local"]').fill('2026-12-04T10:00');
    await tester.locator('input[type="number"]').fill('60');
    await tester.getByRole('button').click();
    const due = page.getByTestId('hours-due');
    await due.waitFor();
    const api = await admin.get<{ dueAt: string }>(
      `/api/v1/business-hours/${saved!.id}/due?from=${encodeURIComponent('2026-12-04T10:00:00+03:30')}&minutes=60`,
    );
    // Saturday 09:00 in Tehran: eight o'clock opening plus an hour.
    expect(api.body.dueAt).toBe('2026-12-05T05:30:00.000Z');
    expect(await due.textContent()).toContain('۹:۰۰');
  });

  it('lists the shipped rules and shows what the server finds wrong with a new one', async () => {
    await page.getByTestId('locale-select').selectOption('en');
    await page.goto(`${server.url}/#/settings/rules`);
    await expect
      .poll(() => page.getByTestId('rule-row').count(), { timeout: 15_000 })
      .toBeGreaterThanOrEqual(6);
    expect(await page.getByTestId('rule-row').first().textContent()).toContain('Shipped');

    await page.getByTestId('rule-new').click();
    const editor = page.getByTestId('rule-editor');
    await editor.getByTestId('rule-name').fill('Refund mentioned: label it');
    const condition = editor.getByTestId('rule-condition').first();
    await condition.getByLabel('Field').selectOption('message.text');
    await condition.getByLabel('Value').fill('refund, возврат, بازپرداخت');
    // The label is left empty: the server says so, and the editor shows it.
    await page.getByTestId('rule-save').click();
    const error = page.getByTestId('rule-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/label/i);
    await settingsShot('rules-settings.png');

    await editor.getByTestId('rule-action').getByLabel('Label').fill('refund');
    await page.getByTestId('rule-save').click();
    await page.locator('[data-testid="rule-row"]', { hasText: 'Refund mentioned' }).waitFor();
    const rules = await admin.get<{
      items: { name: string; conditions: { all?: { field: string; value?: unknown }[] } }[];
    }>('/api/v1/rules');
    const created = rules.body.items.find((r) => r.name === 'Refund mentioned: label it');
    expect(created?.conditions.all?.[0]).toEqual({
      field: 'message.text',
      op: 'containsAny',
      value: ['refund', 'возврат', 'بازپرداخت'],
    });
  });
});
