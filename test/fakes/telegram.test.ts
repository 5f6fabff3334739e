import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Telegraf, Telegram, TelegramError } from 'telegraf';
import { telegramFixture, type TelegramFixtureName } from '../helpers/fakes/fixtures';
import {
  postWebhook,
  startFakeTelegram,
  TelegramErrors,
  type FakeTelegram,
} from '../helpers/fakes/telegram';
import { startReceiver } from './receiver';

const BOT = { token: '7000000001:AAHfakeTokenForTestsOnly_0123456789', id: 7000000001 };
const OTHER = { token: '7000000002:AAHanotherFakeToken_abcdefghijklmno', id: 7000000002 };

let fake: FakeTelegram;
let tg: Telegram;
let counter = 0;

/** A fresh bot per test, so queues, webhooks and faults never leak between tests. */
function freshBot(): { token: string; telegram: Telegram } {
  counter += 1;
  const token = `${8000000000 + counter}:AAHtestBot${counter}_xxxxxxxxxxxxxxxxxxxx`;
  fake.addBot({ token, id: 8000000000 + counter, username: `test${counter}_bot`, firstName: 'T' });
  return { token, telegram: new Telegram(token, { apiRoot: fake.url }) };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

beforeAll(async () => {
  fake = await startFakeTelegram({ webhookRetryMs: 20 });
  fake.addBot({ ...BOT, username: 'switchboard_test_bot', firstName: 'Switchboard Support' });
  fake.addBot({ ...OTHER, username: 'second_test_bot', firstName: 'Second' });
  tg = new Telegram(BOT.token, { apiRoot: fake.url });
});

afterAll(async () => {
  await fake.close();
});

describe('fake Telegram Bot API through telegraf', () => {
  it('answers getMe for each registered bot, and 401 "Unauthorized" for an unknown token', async () => {
    const me = await tg.getMe();
    expect(me).toMatchObject({ id: BOT.id, is_bot: true, username: 'switchboard_test_bot' });
    const other = await new Telegram(OTHER.token, { apiRoot: fake.url }).getMe();
    expect(other.username).toBe('second_test_bot');

    const err = await rejection(new Telegram('999:unknown', { apiRoot: fake.url }).getMe());
    expect(err).toBeInstanceOf(TelegramError);
    expect(err).toMatchObject({ code: 401, description: 'Unauthorized' });
  });

  it('answers an unknown method with 404 and a malformed token with 404 Not Found', async () => {
    const unknown = await fetch(`${fake.url}/bot${BOT.token}/sendTelepathy`, { method: 'POST' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      ok: false,
      error_code: 404,
      description: 'Not Found: method not found',
    });
    const malformed = await fetch(`${fake.url}/botnot-a-token/getMe`);
    expect(malformed.status).toBe(404);
    expect(await malformed.json()).toMatchObject({ description: 'Not Found' });
  });

  it('treats method names case-insensitively and accepts form-encoded GET parameters', async () => {
    const res = await fetch(`${fake.url}/bot${BOT.token}/SENDMESSAGE?chat_id=42&text=hi`);
    expect(res.status).toBe(200);
    const call = fake.calls.at(-1);
    expect(call).toMatchObject({ method: 'SENDMESSAGE', encoding: 'query' });
    expect(call?.params).toMatchObject({ chat_id: 42, text: 'hi' });
  });

  it('sends messages with increasing message_ids and records each call', async () => {
    const { token, telegram } = freshBot();
    const first = await telegram.sendMessage(512345678, 'سلام! چطور می‌توانم کمک کنم؟', {
      reply_markup: { inline_keyboard: [[{ text: 'OK', callback_data: 'ok' }]] },
    });
    const second = await telegram.sendMessage(512345678, 'Второе сообщение');
    expect(second.message_id).toBe(first.message_id + 1);
    expect(first).toMatchObject({
      chat: { id: 512345678, type: 'private' },
      from: { is_bot: true },
      text: 'سلام! چطور می‌توانم کمک کنم؟',
      reply_markup: { inline_keyboard: [[{ text: 'OK', callback_data: 'ok' }]] },
    });
    expect(typeof first.date).toBe('number');

    const call = await fake.waitForCall((c) => c.token === token && c.method === 'sendMessage');
    expect(call.encoding).toBe('json');
    expect(call.params).toMatchObject({ chat_id: 512345678, text: 'سلام! چطور می‌توانم کمک کنم؟' });
    expect(fake.sentMessages(token, 512345678)).toHaveLength(2);
  });

  it('continues message_ids after the last message seen in the chat', async () => {
    const { token, telegram } = freshBot();
    fake.queueUpdate(token, telegramFixture('message-text-ru'));
    const reply = await telegram.sendMessage(623456789, 'Проверяю');
    expect(reply.message_id).toBe(58);
    expect(reply.chat).toMatchObject({ first_name: 'Иван', username: 'ivan_petrov' });
  });

  it('refuses an empty text as Telegram does', async () => {
    const err = await rejection(tg.sendMessage(1, ''));
    expect(err).toMatchObject({ code: 400, description: 'Bad Request: message text is empty' });
  });

  it('takes a multipart photo upload, and serves it back through getFile and the file URL', async () => {
    const { token, telegram } = freshBot();
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    const message = await telegram.sendPhoto(
      512345678,
      { source: bytes, filename: 'box.png' },
      { caption: 'عکس' },
    );
    expect(message.caption).toBe('عکس');
    expect(message.photo.length).toBeGreaterThan(1);

    const call = await fake.waitForCall((c) => c.token === token && c.method === 'sendPhoto');
    expect(call.encoding).toBe('multipart');
    expect(call.params).toMatchObject({ chat_id: 512345678, caption: 'عکس' });
    expect(call.files).toHaveLength(1);
    expect(call.files[0]).toMatchObject({ field: 'photo', filename: 'box.png' });
    expect(call.files[0]?.bytes.equals(bytes)).toBe(true);

    const largest = message.photo.at(-1);
    if (!largest) throw new Error('no photo sizes');
    const link = await telegram.getFileLink(largest.file_id);
    expect(link.href).toMatch(new RegExp(`^${fake.url}/file/bot${token}/photos/`));
    const download = await fetch(link);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('serves files a test registered, and refuses an unknown file_id', async () => {
    const { token, telegram } = freshBot();
    const voice = telegramFixture('message-voice');
    if (!('message' in voice) || !('voice' in voice.message)) throw new Error('fixture shape');
    const bytes = Buffer.from('OggS-fake-voice');
    fake.addFile(token, {
      file_id: voice.message.voice.file_id,
      file_unique_id: voice.message.voice.file_unique_id,
      file_path: 'voice/file_7.oga',
      bytes,
    });
    const file = await telegram.getFile(voice.message.voice.file_id);
    expect(file).toMatchObject({ file_path: 'voice/file_7.oga', file_size: bytes.length });
    const download = await fetch(`${fake.url}/file/bot${token}/voice/file_7.oga`);
    expect(Buffer.from(await download.arrayBuffer()).toString()).toBe('OggS-fake-voice');

    const err = await rejection(telegram.getFile('no-such-file'));
    expect(err).toMatchObject({ code: 400, description: 'Bad Request: invalid file_id' });
    const missing = await fetch(`${fake.url}/file/bot${token}/voice/none.oga`);
    expect(missing.status).toBe(404);
  });

  it('sends an album of an upload and a file_id with one media_group_id', async () => {
    const { telegram } = freshBot();
    const first = await telegram.sendPhoto(1, { source: Buffer.from('a') });
    const known = first.photo.at(-1)?.file_id ?? '';
    const album = await telegram.sendMediaGroup(1, [
      { type: 'photo', media: { source: Buffer.from('one') }, caption: 'first' },
      { type: 'photo', media: known },
    ]);
    expect(album).toHaveLength(2);
    expect(album[0]?.media_group_id).toBeDefined();
    expect(album[1]?.media_group_id).toBe(album[0]?.media_group_id);
    expect(album[0]).toMatchObject({ caption: 'first' });
  });

  it('edits a sent message and refuses an edit that changes nothing', async () => {
    const { telegram } = freshBot();
    const sent = await telegram.sendMessage(5, 'before');
    const edited = await telegram.editMessageText(5, sent.message_id, undefined, 'after');
    expect(edited).toMatchObject({ message_id: sent.message_id, text: 'after' });
    expect(typeof edited === 'object' && 'edit_date' in edited).toBe(true);
    const err = await rejection(telegram.editMessageText(5, sent.message_id, undefined, 'after'));
    expect(err).toMatchObject({
      code: 400,
      description: expect.stringMatching(/^Bad Request: message is not modified/),
    });
    const gone = await rejection(telegram.editMessageText(5, 9999, undefined, 'x'));
    expect(gone).toMatchObject({ description: 'Bad Request: message to edit not found' });
  });

  it('answers sendChatAction and answerCallbackQuery', async () => {
    expect(await tg.sendChatAction(1, 'typing')).toBe(true);
    expect(await tg.answerCbQuery('2681474962387613495', 'Thanks!')).toBe(true);
    const call = await fake.waitForCall((c) => c.method === 'answerCallbackQuery');
    expect(call.params).toMatchObject({
      callback_query_id: '2681474962387613495',
      text: 'Thanks!',
    });
  });
});

describe('fault injection', () => {
  it('surfaces a 429 as telegraf TelegramError with parameters.retry_after', async () => {
    const { token, telegram } = freshBot();
    fake.failNext(token, 'sendMessage', TelegramErrors.tooManyRequests(2));
    const err = await rejection(telegram.sendMessage(1, 'hi'));
    expect(err).toBeInstanceOf(TelegramError);
    if (!(err instanceof TelegramError)) throw err;
    expect(err.code).toBe(429);
    expect(err.description).toBe('Too Many Requests: retry after 2');
    expect(err.parameters?.retry_after).toBe(2);
    const call = fake.calls.at(-1);
    expect(call?.response).toMatchObject({ status: 429 });
    // The next call goes through.
    await expect(telegram.sendMessage(1, 'hi')).resolves.toMatchObject({ text: 'hi' });
  });

  it('sends Retry-After with a 429 and the HTTP status of every error', async () => {
    const { token } = freshBot();
    fake.failNext(token, 'sendMessage', TelegramErrors.tooManyRequests(7));
    const res = await fetch(`${fake.url}/bot${token}/sendMessage?chat_id=1&text=x`);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(await res.json()).toEqual({
      ok: false,
      error_code: 429,
      description: 'Too Many Requests: retry after 7',
      parameters: { retry_after: 7 },
    });
  });

  it('answers 403 for a chat that blocked the bot, and 400 chat not found', async () => {
    const { token, telegram } = freshBot();
    fake.blockChat(token, 623456789);
    const blocked = await rejection(telegram.sendMessage(623456789, 'hi'));
    expect(blocked).toMatchObject({
      code: 403,
      description: 'Forbidden: bot was blocked by the user',
    });
    fake.failNext(token, 'sendMessage', TelegramErrors.chatNotFound);
    const missing = await rejection(telegram.sendMessage(1, 'hi'));
    expect(missing).toMatchObject({ code: 400, description: 'Bad Request: chat not found' });
  });

  it('delays an answer, or drops the connection', async () => {
    const { token, telegram } = freshBot();
    fake.failNext(token, 'getMe', { delayMs: 150 });
    const started = Date.now();
    await telegram.getMe();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);

    fake.failNext(token, 'getMe', { drop: true });
    const err = await rejection(telegram.getMe());
    expect(err).not.toBeInstanceOf(TelegramError);
    expect(String(err)).toMatch(/socket hang up|ECONNRESET|FetchError/);
    expect(fake.calls.at(-1)?.response).toEqual({ dropped: true });
  });
});

describe('getUpdates', () => {
  it('confirms updates below the offset and honours limit', async () => {
    const { token, telegram } = freshBot();
    const names: TelegramFixtureName[] = ['message-text-fa', 'message-text-ru', 'callback-query'];
    const ids = names.map((name) => fake.queueUpdate(token, telegramFixture(name))?.update_id ?? 0);
    const [a = 0, b = 0, c = 0] = ids;
    expect(b).toBe(a + 1);

    const all = await telegram.getUpdates(0, 100, 0, undefined);
    expect(all.map((u) => u.update_id)).toEqual([a, b, c]);
    // Without an offset nothing is confirmed: the same updates come again.
    expect((await telegram.getUpdates(0, 2, 0, undefined)).map((u) => u.update_id)).toEqual([a, b]);
    // offset = b confirms a only.
    expect((await telegram.getUpdates(0, 100, b, undefined)).map((u) => u.update_id)).toEqual([
      b,
      c,
    ]);
    expect(fake.pendingUpdates(token).map((u) => u.update_id)).toEqual([b, c]);
    expect(await telegram.getUpdates(0, 100, c + 1, undefined)).toEqual([]);
    expect(fake.pendingUpdates(token)).toEqual([]);
  });

  it('keeps only the last updates for a negative offset', async () => {
    const { token, telegram } = freshBot();
    for (let i = 0; i < 3; i += 1) fake.queueUpdate(token, telegramFixture('message-text-fa'));
    const last = await telegram.getUpdates(0, 100, -1, undefined);
    expect(last).toHaveLength(1);
    expect(fake.pendingUpdates(token)).toHaveLength(1);
  });

  it('long-polls: answers as soon as an update is queued', async () => {
    const { token, telegram } = freshBot();
    const started = Date.now();
    const poll = telegram.getUpdates(10, 100, 0, undefined);
    await fake.waitForCall((c) => c.token === token && c.method === 'getUpdates');
    setTimeout(() => fake.queueUpdate(token, telegramFixture('message-text-ru')), 50);
    const updates = await poll;
    expect(updates).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('long-polls: an empty answer after the timeout', async () => {
    const { telegram } = freshBot();
    const started = Date.now();
    expect(await telegram.getUpdates(1, 100, 0, undefined)).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('ends the waiting long poll with 409 when a second one starts', async () => {
    const { token, telegram } = freshBot();
    const first = rejection(telegram.getUpdates(10, 100, 0, undefined));
    await fake.waitForCall((c) => c.token === token && c.method === 'getUpdates');
    const second = telegram.getUpdates(10, 100, 0, undefined);
    expect(await first).toMatchObject({
      code: 409,
      description:
        'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
    });
    fake.queueUpdate(token, telegramFixture('message-text-fa'));
    expect(await second).toHaveLength(1);
  });

  it('refuses getUpdates while a webhook is set', async () => {
    const { telegram } = freshBot();
    await telegram.setWebhook('https://switchboard.example.com/webhooks/telegram');
    const err = await rejection(telegram.getUpdates(0, 100, 0, undefined));
    expect(err).toMatchObject({
      code: 409,
      description:
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
    });
  });

  it('leaves out update types not allowed, by default chat_member', async () => {
    const { token, telegram } = freshBot();
    expect(fake.queueUpdate(token, { chat_member: {} })).toBeUndefined();
    await telegram.getUpdates(0, 100, 0, ['callback_query']);
    expect(fake.queueUpdate(token, telegramFixture('message-text-fa'))).toBeUndefined();
    expect(fake.queueUpdate(token, telegramFixture('callback-query'))).toBeDefined();
  });

  it('feeds a polling Telegraf bot, which answers through the fake', async () => {
    const { token } = freshBot();
    const bot = new Telegraf(token, { telegram: { apiRoot: fake.url } });
    bot.on('message', (ctx) => ctx.reply(`echo: ${'text' in ctx.message ? ctx.message.text : ''}`));
    void bot.launch({ dropPendingUpdates: false });
    try {
      await fake.waitForCall((c) => c.token === token && c.method === 'getUpdates');
      fake.queueUpdate(token, telegramFixture('message-text-ru'));
      const reply = await fake.waitForCall((c) => c.token === token && c.method === 'sendMessage');
      expect(reply.params).toMatchObject({ chat_id: 623456789 });
      expect(String(reply.params.text)).toMatch(/^echo: Здравствуйте!/);
    } finally {
      bot.stop('test over');
    }
  });
});

describe('webhooks', () => {
  it('records setWebhook, reports it in getWebhookInfo, and deletes it', async () => {
    const { token, telegram } = freshBot();
    fake.queueUpdate(token, telegramFixture('message-text-fa'));
    const ok = await telegram.setWebhook('https://switchboard.example.com/webhooks/telegram', {
      secret_token: 's3cr3t_Token-1',
      allowed_updates: ['message', 'callback_query', 'my_chat_member'],
      drop_pending_updates: true,
    });
    expect(ok).toBe(true);
    const call = await fake.waitForCall((c) => c.token === token && c.method === 'setWebhook');
    expect(call.response).toMatchObject({
      status: 200,
      body: { ok: true, result: true, description: 'Webhook was set' },
    });
    expect(fake.webhook(token)).toMatchObject({
      url: 'https://switchboard.example.com/webhooks/telegram',
      secret_token: 's3cr3t_Token-1',
      allowed_updates: ['message', 'callback_query', 'my_chat_member'],
      drop_pending_updates: true,
    });
    expect(await telegram.getWebhookInfo()).toEqual({
      url: 'https://switchboard.example.com/webhooks/telegram',
      has_custom_certificate: false,
      pending_update_count: 0,
      max_connections: 40,
      allowed_updates: ['message', 'callback_query', 'my_chat_member'],
    });

    fake.setWebhookInfo(token, {
      pending_update_count: 3,
      last_error_date: 1767261600,
      last_error_message: 'Wrong response from the webhook: 502 Bad Gateway',
    });
    expect(await telegram.getWebhookInfo()).toMatchObject({
      pending_update_count: 3,
      last_error_message: 'Wrong response from the webhook: 502 Bad Gateway',
    });

    expect(await telegram.deleteWebhook()).toBe(true);
    expect(fake.webhook(token)).toBeUndefined();
  });

  it('delivers queued updates to the webhook with the secret header', async () => {
    const { token, telegram } = freshBot();
    const receiver = await startReceiver();
    try {
      await telegram.setWebhook(`${receiver.url}/webhooks/telegram`, { secret_token: 'abc_123' });
      const queued = fake.queueUpdate(token, telegramFixture('message-text-fa'));
      const delivery = await fake.waitForDelivery((d) => d.token === token);
      expect(delivery.status).toBe(200);
      const request = receiver.received[0];
      expect(request?.headers['content-type']).toBe('application/json');
      expect(request?.headers['x-telegram-bot-api-secret-token']).toBe('abc_123');
      expect(JSON.parse(request?.body ?? '{}')).toEqual(queued);
      expect(fake.pendingUpdates(token)).toEqual([]);
    } finally {
      await receiver.close();
    }
  });

  it('keeps an update the webhook refused and reports the error in getWebhookInfo', async () => {
    const { token, telegram } = freshBot();
    let refuse = true;
    const receiver = await startReceiver(() => ({ status: refuse ? 500 : 200 }));
    try {
      await telegram.setWebhook(`${receiver.url}/hook`);
      fake.queueUpdate(token, telegramFixture('message-text-ru'));
      await fake.waitForDelivery((d) => d.token === token && d.status === 500);
      const info = await telegram.getWebhookInfo();
      expect(info.pending_update_count).toBe(1);
      expect(info.last_error_message).toBe(
        'Wrong response from the webhook: 500 Internal Server Error',
      );
      refuse = false;
      await fake.waitForDelivery((d) => d.token === token && d.status === 200);
      expect(fake.pendingUpdates(token)).toEqual([]);
    } finally {
      await receiver.close();
    }
  });

  it('runs a method the webhook answers with, as Telegram does', async () => {
    const { token, telegram } = freshBot();
    const receiver = await startReceiver(() => ({
      status: 200,
      json: { method: 'sendMessage', chat_id: 512345678, text: 'reply in the response' },
    }));
    try {
      await telegram.setWebhook(`${receiver.url}/hook`);
      fake.queueUpdate(token, telegramFixture('message-text-fa'));
      const call = await fake.waitForCall((c) => c.token === token && c.viaWebhookReply);
      expect(call).toMatchObject({
        method: 'sendMessage',
        params: { text: 'reply in the response' },
      });
    } finally {
      await receiver.close();
    }
  });

  it('postWebhook POSTs an update as Telegram does', async () => {
    const receiver = await startReceiver();
    try {
      const update = telegramFixture('callback-query');
      const res = await postWebhook(`${receiver.url}/webhooks/telegram`, update, 'secret-1');
      expect(res.status).toBe(200);
      const [request] = receiver.received;
      expect(request).toMatchObject({ method: 'POST', path: '/webhooks/telegram' });
      expect(request?.headers['x-telegram-bot-api-secret-token']).toBe('secret-1');
      expect(JSON.parse(request?.body ?? '')).toEqual(update);
      await postWebhook(`${receiver.url}/webhooks/telegram`, update);
      expect(receiver.received[1]?.headers['x-telegram-bot-api-secret-token']).toBeUndefined();
    } finally {
      await receiver.close();
    }
  });
});
