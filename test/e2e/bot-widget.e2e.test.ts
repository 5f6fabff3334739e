// The bot in a browser: a visitor on the demo page answers the bot's menu by clicking the
// widget's quick-reply buttons, and an admin tries the bot in Settings → Bot.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BOT_TEXTS } from '../../src/bot/texts';
import { ensureBuilt } from '../helpers/build';
import { createTestStorage, type TestStorage } from '../helpers/database';
import {
  ADMIN,
  login,
  spawnServer,
  webchatInboxId,
  type Api,
  type ServerProcess,
} from '../helpers/server';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = join(root, 'docs/screenshots');
const en = DEFAULT_BOT_TEXTS.en;

let storage: TestStorage;
let server: ServerProcess;
let browser: Browser;
let admin: Api;

const hasChromium = existsSync(CHROMIUM);

describe.skipIf(!hasChromium)('the bot in the widget and in Settings', () => {
  beforeAll(async () => {
    await ensureBuilt();
    storage = await createTestStorage();
    server = await spawnServer(storage);
    admin = await login(server.url);
    const inbox = await webchatInboxId(admin);
    await admin.send('PATCH', `/api/v1/inboxes/${inbox}`, { botEnabled: true });
    await admin.send('POST', '/api/v1/bot/kb', {
      questions: { en: ['How long does delivery take?'], fa: ['ارسال چقدر طول می‌کشد؟'] },
      answers: { en: 'Delivery takes 2–4 working days.', fa: 'ارسال ۲ تا ۴ روز کاری طول می‌کشد.' },
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await storage?.cleanup();
  });

  it('shows the menu as quick replies and takes a click as the answer', async () => {
    const context = await browser.newContext({
      viewport: { width: 480, height: 760 },
      locale: 'en-US',
    });
    const widget = await context.newPage();
    await widget.goto(`${server.url}/demo`);
    await widget.getByTestId('sb-launcher').click();
    await widget.getByTestId('sb-input').fill('Hello');
    await widget.getByTestId('sb-send').click();
    const replies = widget.getByTestId('sb-quick-reply');
    await replies.first().waitFor({ timeout: 20_000 });
    expect(await replies.allTextContents()).toEqual([
      en.menuQuestion,
      en.menuOrder,
      en.menuComplaint,
      en.menuAgent,
    ]);
    await widget.screenshot({ path: join(SCREENSHOTS, 'bot-widget-menu.png') });

    await replies.filter({ hasText: en.menuComplaint }).click();
    // The click is the visitor's answer: it shows as their message, and the bot goes on.
    await widget
      .locator('[data-testid="sb-message"][data-direction="in"]', { hasText: en.menuComplaint })
      .waitFor();
    await widget
      .getByTestId('sb-quick-reply')
      .filter({ hasText: 'Delivery' })
      .waitFor({ timeout: 20_000 });
    await widget.getByTestId('sb-quick-reply').filter({ hasText: 'Delivery' }).click();
    await widget
      .locator('[data-testid="sb-message"][data-direction="out"]', { hasText: en.askDescription })
      .waitFor({ timeout: 20_000 });
    // Older menus lose their buttons: only the latest message offers any.
    expect(await widget.getByTestId('sb-quick-reply').count()).toBe(0);
    await context.close();
  });

  it('lets an admin try the bot in Settings → Bot', async () => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'en-US',
    });
    const page = await context.newPage();
    await page.goto(`${server.url}/#/settings/bot`);
    await page.getByTestId('login-email').fill(ADMIN.email);
    await page.getByTestId('login-password').fill(ADMIN.password);
    await page.getByTestId('login-submit').click();
    await page.goto(`${server.url}/#/settings/bot`);
    await page.getByTestId('bot-try-input').waitFor({ timeout: 20_000 });
    await page.getByTestId('bot-try-input').fill('How long does delivery take?');
    await page.getByTestId('bot-try-input').press('Enter');
    const transcript = page.getByTestId('bot-try-transcript');
    await transcript.getByText('Delivery takes 2–4 working days.').waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: en.menuComplaint }).click();
    await transcript.getByText(en.askCategory).waitFor();
    expect(await page.getByTestId('bot-kb-entry').count()).toBe(1);
    await page.getByTestId('bot-categories').getByText('Delivery').first().waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'settings-bot.png') });
    // The categories the intake offers are shown, with the way to their editor.
    await page.getByRole('link', { name: 'Edit the categories' }).click();
    await page.getByTestId('category-key').waitFor();
    await context.close();
  });
});
