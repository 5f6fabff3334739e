// A Telegram conversation in the agents' inbox, end to end: the real server process polling the
// fake Bot API, customers' photos, voice notes and files fetched into our storage and shown
// inline, a reply that Telegram refused (the customer blocked the bot) with its reason, and the
// bot's health in Settings. Screenshots go to docs/screenshots/.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { deflateSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStorage, type TestStorage } from '../helpers/database';
import { telegramFixture } from '../helpers/fakes/fixtures';
import { startFakeTelegram, type FakeTelegram } from '../helpers/fakes/telegram';
import { ADMIN, login, spawnServer, type Api, type ServerProcess } from '../helpers/server';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = join(root, 'docs/screenshots');
const BOT = {
  token: '7000000001:AAHfakeTokenForTestsOnly_0123456789',
  id: 7000000001,
  username: 'switchboard_test_bot',
  firstName: 'Switchboard Support',
};

/** A small PNG (a parcel-brown gradient with a stripe), so the photo looks like one. */
function png(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const byte of buf) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      const tape = Math.abs(x - width / 2) < width / 12;
      row.set(
        tape
          ? [220, 200, 150]
          : [150 + Math.round((60 * y) / height), 100 + Math.round((40 * x) / width), 60],
        1 + x * 3,
      );
    }
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function fileOf(update: ReturnType<typeof telegramFixture>, kind: 'photo' | 'voice' | 'document') {
  if (!('message' in update)) throw new Error('fixture shape');
  const m = update.message;
  if (kind === 'photo' && 'photo' in m) return m.photo.at(-1)!;
  if (kind === 'voice' && 'voice' in m) return m.voice;
  if (kind === 'document' && 'document' in m) return m.document;
  throw new Error(`fixture has no ${kind}`);
}

const hasChromium = existsSync(CHROMIUM);

describe.skipIf(!hasChromium)('a Telegram conversation in the browser', () => {
  let storage: TestStorage;
  let server: ServerProcess;
  let fake: FakeTelegram;
  let browser: Browser;
  let page: Page;
  let admin: Api;

  beforeAll(async () => {
    const build: { buildAll: () => Promise<void> } = await import(
      pathToFileURL(join(root, 'scripts/build.mjs')).href
    );
    await build.buildAll();
    fake = await startFakeTelegram();
    fake.addBot(BOT);
    storage = await createTestStorage();
    server = await spawnServer(storage, {
      TELEGRAM_BOT_TOKEN: BOT.token,
      TELEGRAM_API_ROOT: fake.url,
      RECEIVER_TICK_SECONDS: '0.5',
    });
    admin = await login(server.url);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
    });
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await storage?.cleanup();
    await fake?.close();
  });

  it(
    'shows the customer’s media inline and why a reply was not delivered',
    { timeout: 90_000 },
    async () => {
      const photo = telegramFixture('message-photo-caption');
      const voice = telegramFixture('message-voice');
      const doc = telegramFixture('message-document');
      // Ivan sends them all (the fixtures' senders differ; one conversation reads better).
      for (const update of [photo, voice, doc])
        if ('message' in update) {
          update.message.from = {
            ...update.message.from!,
            id: 623456789,
            first_name: 'Иван',
            last_name: 'Петров',
          };
          update.message.chat = { id: 623456789, type: 'private', first_name: 'Иван' };
        }
      const image = png(480, 320);
      for (const [update, kind, bytes, path] of [
        [photo, 'photo', image, 'photos/file_1.jpg'],
        [voice, 'voice', Buffer.from('OggS fake voice note'), 'voice/file_2.oga'],
        [doc, 'document', Buffer.from('%PDF-1.4 fake invoice'), 'documents/file_3.pdf'],
      ] as const) {
        const f = fileOf(update, kind);
        fake.addFile(BOT.token, {
          file_id: f.file_id,
          file_unique_id: f.file_unique_id,
          file_path: path,
          bytes,
        });
      }
      fake.queueUpdate(BOT.token, telegramFixture('message-text-ru'));
      fake.queueUpdate(BOT.token, photo);
      fake.queueUpdate(BOT.token, voice);
      fake.queueUpdate(BOT.token, doc);
      fake.queueUpdate(BOT.token, telegramFixture('message-venue'));

      const conversation = async () =>
        (
          await admin.get<{ items: { id: string; contact: { name: string } }[] }>(
            '/api/v1/conversations',
          )
        ).body.items.find((c) => c.contact.name === 'Иван Петров');
      let conv = await conversation();
      for (let i = 0; !conv && i < 100; i++) {
        await new Promise((r) => setTimeout(r, 100));
        conv = await conversation();
      }
      if (!conv) throw new Error('the Telegram conversation did not arrive');
      await admin.send('POST', `/api/v1/conversations/${conv.id}/messages`, {
        text: 'Спасибо, Иван! Счёт получили, курьер будет завтра до 12:00.',
      });
      await fake.waitForCall((c) => c.method === 'sendMessage');
      fake.blockChat(BOT.token, 623456789);
      await admin.send('POST', `/api/v1/conversations/${conv.id}/messages`, {
        text: 'Напишите, пожалуйста, удобное время доставки.',
      });
      // Telegram refuses it (blocked): the identity is marked before the message fails.
      for (let i = 0; i < 100; i++) {
        const items = (
          await admin.get<{ items: { status: string }[] }>(
            `/api/v1/conversations/${conv.id}/messages`,
          )
        ).body.items;
        if (items.some((m) => m.status === 'failed')) break;
        await new Promise((r) => setTimeout(r, 100));
      }

      await page.goto(`${server.url}/#/inbox/all`);
      await page.getByTestId('login-email').fill(ADMIN.email);
      await page.getByTestId('login-password').fill(ADMIN.password);
      await page.getByTestId('login-submit').click();
      await page.getByTestId('conversation-list').waitFor();
      await page.goto(`${server.url}/#/inbox/all/c/${conv.id}`);
      await page.locator('.msg__images img').first().waitFor();
      await page.waitForFunction(() =>
        [...document.querySelectorAll('.msg__images img')].every(
          (img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0,
        ),
      );
      await page.locator('audio').first().waitFor();
      await page.locator('.msg__failure').first().waitFor();
      await page
        .getByTestId('inbox-address')
        .filter({ hasText: '@switchboard_test_bot' })
        .waitFor();
      expect(await page.locator('.msg__failure').first().textContent()).toContain('blocked');
      mkdirSync(SCREENSHOTS, { recursive: true });
      // Tall enough for the whole thread: photo, voice note, file, venue and both replies; the
      // sidebar once it shows the identity as unreachable.
      await page.setViewportSize({ width: 1280, height: 1180 });
      await page.getByText('Unreachable here', { exact: false }).waitFor();
      await page.locator('.msg__images img').first().scrollIntoViewIfNeeded();
      await page.mouse.move(0, 0);
      await page.screenshot({ path: join(SCREENSHOTS, 'telegram-conversation.png') });

      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto(`${server.url}/#/settings/inboxes`);
      await page.getByTestId('telegram-form').waitFor();
      await page.getByTestId('inbox-health').first().waitFor();
      await page.screenshot({ path: join(SCREENSHOTS, 'telegram-settings.png'), fullPage: true });
    },
  );
});
