// An SMS conversation in the real app: the segment counter as the agent types a Persian reply,
// the delivery status of a reply that Twilio (the fake) reported delivered, and the opted-out
// warning; the Twilio settings. Takes docs/screenshots/sms-conversation.png and twilio-settings.png.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../helpers/build';
import { createTestStorage, type TestStorage } from '../helpers/database';
import { twilioFixture } from '../helpers/fakes/fixtures';
import {
  newSid,
  postTwilioWebhook,
  startFakeTwilio,
  type FakeTwilio,
} from '../helpers/fakes/twilio';
import { ADMIN, login, spawnServer, type Api, type ServerProcess } from '../helpers/server';
import { ACCOUNT, NUMBER, TOKEN, waitFor } from '../helpers/twilio-server';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const CHROMIUM = '/usr/bin/chromium';

let storage: TestStorage;
let server: ServerProcess;
let fake: FakeTwilio;
let browser: Browser;
let page: Page;
let admin: Api;

/** The server's default PUBLIC_URL is http://localhost:<port>: what Twilio would sign. */
function sms(params: Record<string, string>) {
  const path = '/webhooks/twilio/sms';
  return postTwilioWebhook(`${server.url}${path}`, params, TOKEN, {
    signatureUrl: `${server.url.replace('127.0.0.1', 'localhost')}${path}`,
  });
}

async function conversationOf(phone: string): Promise<string> {
  const list = await admin.get<{ items: { id: string; contact: { name: string } }[] }>(
    `/api/v1/conversations?q=${encodeURIComponent(phone)}`,
  );
  return list.body.items.find((c) => c.contact.name === phone)!.id;
}

const hasChromium = existsSync(CHROMIUM);

describe.skipIf(!hasChromium)('an SMS conversation in the browser', () => {
  beforeAll(async () => {
    await ensureBuilt();
    fake = await startFakeTwilio();
    fake.addAccount({ accountSid: ACCOUNT, authToken: TOKEN });
    fake.addNumber(ACCOUNT, { phoneNumber: NUMBER });
    storage = await createTestStorage();
    server = await spawnServer(storage, {
      TWILIO_ACCOUNT_SID: ACCOUNT,
      TWILIO_AUTH_TOKEN: TOKEN,
      TWILIO_PHONE_NUMBER: NUMBER,
      TWILIO_API_BASE: fake.url,
    });
    admin = await login(server.url);
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
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await fake?.close();
    await storage?.cleanup();
  });

  it('counts segments as the agent types, shows delivery, and warns about an opted-out customer', async () => {
    expect((await sms(twilioFixture('sms-inbound-fa'))).status).toBe(200);
    const sara = await conversationOf('+989121234567');
    await admin.send(
      'PATCH',
      `/api/v1/contacts/${(await admin.get<{ contact: { id: string } }>(`/api/v1/conversations/${sara}`)).body.contact.id}`,
      { name: 'Sara Ahmadi' },
    );
    const reply = await admin.send<{ id: string }>(
      'POST',
      `/api/v1/conversations/${sara}/messages`,
      {
        text: 'سلام سارا، بسته امروز ارسال شد.',
      },
    );
    const sent = await waitFor(
      async () => fake.messages.find((m) => m.body.startsWith('سلام سارا')),
      (m) => m !== undefined,
    );
    await waitFor(
      async () =>
        (
          await admin.get<{ items: { id: string; status: string }[] }>(
            `/api/v1/conversations/${sara}/messages`,
          )
        ).body.items.find((m) => m.id === reply.body.id)?.status,
      (s) => s === 'sent',
    );
    await fake.deliverStatus(sent!.sid, 'delivered');

    await page.goto(`${server.url}/#/inbox/all/c/${sara}`);
    const thread = page.getByTestId('thread');
    await thread.locator('[data-status="delivered"]').waitFor({ timeout: 15_000 });
    await page
      .getByTestId('composer-input')
      .fill(
        'سلام! پیک فردا صبح بین ساعت ۹ تا ۱۲ می‌رسد. اگر در خانه نیستید لطفاً به همین پیامک پاسخ دهید.',
      );
    const counter = page.getByTestId('sms-counter');
    await expect.poll(() => counter.textContent()).toMatch(/Unicode \(UCS-2\) · 2 SMS segments/);
    await page.screenshot({ path: join(root, 'docs/screenshots/sms-conversation.png') });

    // A customer who replied STOP: the composer says so before anything is typed.
    await sms({ ...twilioFixture('sms-inbound-stop-no-service'), MessageSid: newSid('SM') });
    const oleg = await conversationOf('+79161234567');
    await page.goto(`${server.url}/#/inbox/all/c/${oleg}`);
    await page.getByTestId('composer-unreachable').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('composer-unreachable').textContent()).toContain(
      'opted out of SMS',
    );
  });

  it('shows the webhook addresses to paste into the Twilio console, and the voice prompts', async () => {
    await page.goto(`${server.url}/#/settings/inboxes`);
    const hooks = page.getByTestId('twilio-webhooks');
    await hooks.first().waitFor({ timeout: 15_000 });
    const text = (await hooks.allTextContents()).join(' ');
    expect(text).toMatch(/\/webhooks\/twilio\/[0-9a-f-]{36}\/sms/);
    expect(text).toMatch(/\/webhooks\/twilio\/[0-9a-f-]{36}\/voice-status/);
    await page.getByRole('tab', { name: 'فارسی' }).click();
    await page.getByText('Twilio has no Persian voice').waitFor();
    await page.screenshot({
      path: join(root, 'docs/screenshots/twilio-settings.png'),
      fullPage: true,
    });
  });
});
