import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { inboxes, jobs, messages } from '../../src/db/schema';
import { queryRows } from '../../src/db/rows';
import { telegramFixture } from '../helpers/fakes/fixtures';
import {
  postWebhook,
  startFakeTelegram,
  TelegramErrors,
  type FakeTelegram,
  type UpdateInput,
} from '../helpers/fakes/telegram';
import { freePort, login, startTestServer, type Api, type TestServer } from '../helpers/server';

// Two bots, each an inbox added over the API: the first with a webhook secret (the server
// registers its webhook and Telegram — the fake — delivers to it), the second polling.
const HOOK = {
  token: '7000000001:AAHfakeTokenForTestsOnly_0123456789',
  id: 7000000001,
  username: 'switchboard_test_bot',
  firstName: 'Switchboard Support',
};
const POLL = {
  token: '7000000002:AAHanotherFakeToken_abcdefghijklmno',
  id: 7000000002,
  username: 'second_test_bot',
  firstName: 'Second Line',
};
const SECRET = 'hook-Secret_1234567890';

let fake: FakeTelegram;
let t: TestServer;
let admin: Api;
let hookInbox: string;
let pollInbox: string;

interface MessageItem {
  id: string;
  text: string;
  direction: string;
  status: string;
  failureReason: string | null;
  editedAt: string | null;
  attachments: { id: string; fileName: string; url: string; state: string; size: number }[];
}
interface ConversationItem {
  id: string;
  inboxId: string;
  contact: { id: string; name: string };
}

async function waitFor<T>(probe: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (ok(value) || Date.now() > end) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const conversationsOf = async (inboxId: string) =>
  (
    await admin.get<{ items: ConversationItem[] }>(
      `/api/v1/conversations?inboxId=${inboxId}&limit=100`,
    )
  ).body.items;

const messagesOf = async (conversationId: string) =>
  (await admin.get<{ items: MessageItem[] }>(`/api/v1/conversations/${conversationId}/messages`))
    .body.items;

/** The conversation of a Telegram user in an inbox, once it exists. */
async function conversationWith(inboxId: string, name: string): Promise<ConversationItem> {
  const list = await waitFor(
    () => conversationsOf(inboxId),
    (items) => items.some((c) => c.contact.name === name),
  );
  const found = list.find((c) => c.contact.name === name);
  if (!found) throw new Error(`no conversation with ${name} in ${inboxId}`);
  return found;
}

async function waitForMessages(
  conversationId: string,
  ok: (items: MessageItem[]) => boolean,
): Promise<MessageItem[]> {
  return waitFor(() => messagesOf(conversationId), ok);
}

const hookUrl = () => `${t.url}/webhooks/telegram/${hookInbox}`;

/** A user message update as Telegram sends it, from a fixture with a new message id. */
function textUpdate(
  from: { id: number; first_name: string },
  messageId: number,
  text: string,
): UpdateInput {
  return {
    message: {
      message_id: messageId,
      from: { ...from, is_bot: false },
      chat: { ...from, type: 'private' },
      date: Math.floor(Date.now() / 1000),
      text,
    },
  };
}

beforeAll(async () => {
  fake = await startFakeTelegram({ webhookRetryMs: 20 });
  fake.addBot(HOOK);
  fake.addBot(POLL);
  const port = await freePort();
  t = await startTestServer({
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    TELEGRAM_API_ROOT: fake.url,
    RECEIVER_TICK_SECONDS: '0.3',
  });
  admin = await login(t.url);
  const hook = await admin.send<{ id: string; name: string }>('POST', '/api/v1/inboxes', {
    channel: 'telegram',
    settings: { botToken: HOOK.token, webhookSecret: SECRET },
  });
  expect(hook.status).toBe(201);
  expect(hook.body.name).toBe('Switchboard Support');
  hookInbox = hook.body.id;
  const poll = await admin.send<{ id: string }>('POST', '/api/v1/inboxes', {
    channel: 'telegram',
    settings: { botToken: POLL.token },
  });
  pollInbox = poll.body.id;
  await waitFor(
    async () => fake.webhook(HOOK.token),
    (w) => w !== undefined,
  );
});

afterAll(async () => {
  await t?.stop();
  await fake?.close();
});

describe('adding a bot', () => {
  it('registers the webhook with our URL, the secret and the update kinds we handle', () => {
    expect(fake.webhook(HOOK.token)).toMatchObject({
      url: hookUrl(),
      secret_token: SECRET,
      allowed_updates: ['message', 'edited_message', 'callback_query', 'my_chat_member'],
    });
    expect(fake.webhook(POLL.token)).toBeUndefined();
  });

  it('refuses a token getMe refuses, saying why, and saves nothing', async () => {
    const before = (await admin.get<{ items: unknown[] }>('/api/v1/inboxes')).body.items.length;
    const res = await admin.send<{ error: { code: string; message: string } }>(
      'POST',
      '/api/v1/inboxes',
      { channel: 'telegram', settings: { botToken: '7999999999:AAHunknownTokenNobodyHas_000000' } },
    );
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/Telegram.*(token|Unauthorized)/);
    const malformed = await admin.send('POST', '/api/v1/inboxes', {
      channel: 'telegram',
      settings: { botToken: 'not-a-token' },
    });
    expect(malformed.status).toBe(400);
    expect((await admin.get<{ items: unknown[] }>('/api/v1/inboxes')).body.items).toHaveLength(
      before,
    );
  });

  it('keeps credentials out of the API and out of the database in clear', async () => {
    const res = await admin.get<{ settings: Record<string, unknown>; credentialsSet: string[] }>(
      `/api/v1/inboxes/${hookInbox}`,
    );
    expect(res.body.settings).toMatchObject({ botToken: '••••••••', webhookSecret: '••••••••' });
    expect(JSON.stringify(res.body)).not.toContain(HOOK.token.split(':')[1]);
    const dump = await queryRows<{ dump: string }>(
      t.server.database.db,
      sql`select concat_ws(' ',
            (select string_agg(i::text, ' ') from inboxes i),
            (select string_agg(a::text, ' ') from audit_log a),
            (select string_agg(j::text, ' ') from jobs j),
            (select string_agg(m::text, ' ') from messages m),
            (select string_agg(f::text, ' ') from attachments f)) as dump`,
    );
    for (const secret of [HOOK.token.split(':')[1]!, POLL.token.split(':')[1]!, SECRET])
      expect(dump[0]!.dump).not.toContain(secret);
  });
});

describe('webhook', () => {
  it('stores what Telegram delivers to the registered webhook', async () => {
    fake.queueUpdate(HOOK.token, telegramFixture('message-text-fa'));
    const conv = await conversationWith(hookInbox, 'سارا رضایی');
    const items = await waitForMessages(conv.id, (m) => m.length >= 1);
    expect(items[0]).toMatchObject({ direction: 'in', text: expect.stringContaining('سلام') });
    const contact = await admin.get<{
      language: string;
      customAttributes: Record<string, unknown>;
    }>(`/api/v1/contacts/${conv.contact.id}`);
    expect(contact.body).toMatchObject({
      language: 'fa',
      customAttributes: { telegramUsername: '@sara_rezaei' },
    });
  });

  it('refuses a wrong secret with 403 and stores nothing', async () => {
    const update = textUpdate({ id: 900000001, first_name: 'Mallory' }, 1, 'let me in');
    expect((await postWebhook(hookUrl(), update, 'wrong-secret')).status).toBe(403);
    expect((await postWebhook(hookUrl(), update)).status).toBe(403);
    expect(
      (await postWebhook(`${t.url}/webhooks/telegram/${pollInbox}`, update, SECRET)).status,
    ).toBe(403);
    const all = await conversationsOf(hookInbox);
    expect(all.some((c) => c.contact.name === 'Mallory')).toBe(false);
  });

  it('stores a redelivered update once', async () => {
    const update = {
      update_id: 1,
      ...textUpdate({ id: 900000002, first_name: 'Twice' }, 7, 'hello'),
    };
    const first = await postWebhook(hookUrl(), update, SECRET);
    const again = await postWebhook(hookUrl(), update, SECRET);
    expect([first.status, again.status]).toEqual([200, 200]);
    const conv = await conversationWith(hookInbox, 'Twice');
    expect(await messagesOf(conv.id)).toHaveLength(1);
  });

  it('keeps malformed JSON for an admin (200: Telegram must not resend it forever) and ignores an update kind it does not handle', async () => {
    const bad = await fetch(hookUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: '{"update_id": 5, "message": ',
    });
    expect(bad.status).toBe(200);
    const failed = await admin.get<{ items: { error: string; preview: string }[] }>(
      `/api/v1/inboxes/${hookInbox}/failed`,
    );
    expect(failed.body.items).toMatchObject([
      { error: 'the body is not valid JSON', preview: '{"update_id": 5, "message": ' },
    ]);
    expect((await postWebhook(hookUrl(), telegramFixture('poll'), SECRET)).status).toBe(200);
    expect((await postWebhook(hookUrl(), { update_id: 9 }, SECRET)).status).toBe(200);
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
  });

  it('shows Telegram’s delivery report as the inbox’s health', async () => {
    const res = await admin.get<{ health: { status: string; detail: Record<string, unknown> } }>(
      `/api/v1/inboxes/${hookInbox}`,
    );
    expect(res.body.health).toMatchObject({
      status: 'connected',
      detail: {
        mode: 'webhook',
        bot: '@switchboard_test_bot',
        url: hookUrl(),
        pendingUpdateCount: 0,
      },
    });
  });
});

describe('polling', () => {
  it('delivers through getUpdates, and a re-polled message creates nothing', async () => {
    fake.queueUpdate(POLL.token, telegramFixture('message-text-ru'));
    const conv = await conversationWith(pollInbox, 'Иван Петров');
    await waitForMessages(conv.id, (m) => m.length === 1);
    // Telegram sends the same message again (a new update id, the same message).
    fake.queueUpdate(POLL.token, telegramFixture('message-text-ru'));
    fake.queueUpdate(POLL.token, textUpdate({ id: 623456789, first_name: 'Иван' }, 70, 'ещё'));
    const items = await waitForMessages(conv.id, (m) => m.some((x) => x.text === 'ещё'));
    expect(items.map((m) => m.text)).toEqual([expect.stringContaining('Здравствуйте'), 'ещё']);
    await waitFor(
      async () => fake.pendingUpdates(POLL.token).length,
      (n) => n === 0,
    );
    const [row] = await t.server.database.db
      .select()
      .from(inboxes)
      .where(eq(inboxes.id, pollInbox));
    expect(row!.channelState['offset']).toBeGreaterThan(
      telegramFixture('message-text-ru').update_id,
    );
  });

  it('keeps two bots apart: the same person in two inboxes is two conversations', async () => {
    fake.queueUpdate(POLL.token, telegramFixture('message-text-fa'));
    const inPoll = await conversationWith(pollInbox, 'سارا رضایی');
    const inHook = await conversationWith(hookInbox, 'سارا رضایی');
    expect(inPoll.id).not.toBe(inHook.id);
    expect(inPoll.contact.id).toBe(inHook.contact.id);
    await admin.send('POST', `/api/v1/conversations/${inPoll.id}/messages`, { text: 'from two' });
    await fake.waitForCall((c) => c.method === 'sendMessage' && c.params.text === 'from two');
    expect(fake.sentMessages(POLL.token, 512345678).map((m) => m.text)).toContain('from two');
    expect(fake.sentMessages(HOOK.token, 512345678).map((m) => m.text)).not.toContain('from two');
  });
});

describe('replies', () => {
  let conv: ConversationItem;
  beforeAll(async () => {
    conv = await conversationWith(hookInbox, 'سارا رضایی');
  });

  const reply = async (text: string) =>
    (
      await admin.send<{ id: string }>('POST', `/api/v1/conversations/${conv.id}/messages`, {
        text,
      })
    ).body.id;

  const messageRow = async (id: string) =>
    (await t.server.database.db.select().from(messages).where(eq(messages.id, id)))[0]!;

  it('reach the customer’s chat as plain text', async () => {
    const id = await reply('Hello *not bold* <b>nor this</b>');
    const call = await fake.waitForCall(
      (c) => c.method === 'sendMessage' && c.params.text === 'Hello *not bold* <b>nor this</b>',
    );
    expect(call.params).toMatchObject({ chat_id: 512345678 });
    expect(call.params).not.toHaveProperty('parse_mode');
    const row = await waitFor(
      () => messageRow(id),
      (m) => m.status === 'sent',
    );
    expect(row.providerMessageId).toMatch(/^512345678:\d+$/);
  });

  it('are split at 4,096 characters on sentence boundaries', async () => {
    const sentence = 'Ваш заказ будет доставлен завтра утром. ';
    const text = sentence.repeat(150).trim();
    const id = await reply(text);
    await waitFor(
      () => messageRow(id),
      (m) => m.status === 'sent',
    );
    const parts = fake.calls
      .filter((c) => c.method === 'sendMessage' && String(c.params.text).startsWith('Ваш заказ'))
      .map((c) => String(c.params.text));
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.every((p) => p.length <= 4096 && p.endsWith('.'))).toBe(true);
    expect(parts.join(' ')).toBe(text);
  });

  it('are tried again after Telegram’s retry_after on 429', async () => {
    fake.failNext(HOOK.token, 'sendMessage', TelegramErrors.tooManyRequests(1));
    const id = await reply('after the flood');
    const row = await waitFor(
      () => messageRow(id),
      (m) => m.status === 'sent',
    );
    expect(row.status).toBe('sent');
    const attempts = fake.calls.filter(
      (c) => c.method === 'sendMessage' && c.params.text === 'after the flood',
    );
    expect(attempts).toHaveLength(2);
    expect(attempts[1]!.at.getTime() - attempts[0]!.at.getTime()).toBeGreaterThanOrEqual(1000);
  });

  it('stop on 403: the identity is marked blocked and the message shows why', async () => {
    fake.queueUpdate(HOOK.token, textUpdate({ id: 900000003, first_name: 'Blocker' }, 3, 'bye'));
    const blocker = await conversationWith(hookInbox, 'Blocker');
    fake.blockChat(HOOK.token, 900000003);
    const sent = await admin.send<{ id: string }>(
      'POST',
      `/api/v1/conversations/${blocker.id}/messages`,
      { text: 'are you there?' },
    );
    const row = await waitFor(
      () => messageRow(sent.body.id),
      (m) => m.status === 'failed',
    );
    expect(row.failureReason).toBe('Telegram: Forbidden: bot was blocked by the user');
    const [job] = await t.server.database.db
      .select()
      .from(jobs)
      .where(sql`${jobs.kind} = 'delivery' and ${jobs.key} = ${sent.body.id}`);
    expect(job).toMatchObject({ state: 'dead', attempts: 1 });
    const contact = await admin.get<{ identities: { kind: string; state: string }[] }>(
      `/api/v1/contacts/${blocker.contact.id}`,
    );
    expect(contact.body.identities).toEqual([
      expect.objectContaining({ kind: 'telegram', state: 'blocked' }),
    ]);
  });
});

describe('what customers send', () => {
  it('fetches a photo’s largest size into our storage, the caption as text', async () => {
    const update = telegramFixture('message-photo-caption');
    if (!('message' in update) || !('photo' in update.message)) throw new Error('fixture shape');
    const largest = update.message.photo.at(-1)!;
    const bytes = Buffer.from('fake-jpeg-bytes-of-the-damaged-box');
    fake.addFile(HOOK.token, {
      file_id: largest.file_id,
      file_unique_id: largest.file_unique_id,
      file_path: 'photos/file_1.jpg',
      bytes,
    });
    expect((await postWebhook(hookUrl(), update, SECRET)).status).toBe(200);
    const conv = await conversationWith(hookInbox, 'سارا رضایی');
    const items = await waitForMessages(conv.id, (m) =>
      m.some((x) => x.attachments.some((a) => a.state === 'stored')),
    );
    const photo = items.find((m) => m.attachments.length)!.attachments[0]!;
    expect(photo).toMatchObject({ state: 'stored', size: bytes.length });
    const file = await fetch(`${t.url}${photo.url}`, {
      headers: { authorization: `Bearer ${admin.token}` },
    });
    expect(Buffer.from(await file.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('makes an album one message with all its files, once', async () => {
    const one = telegramFixture('message-album-1');
    const two = telegramFixture('message-album-2');
    await postWebhook(hookUrl(), one, SECRET);
    await postWebhook(hookUrl(), two, SECRET);
    await postWebhook(hookUrl(), two, SECRET);
    const conv = await conversationWith(hookInbox, 'سارا رضایی');
    const items = await messagesOf(conv.id);
    const album = items.filter((m) => m.text === 'دو عکس از جعبه');
    expect(album).toHaveLength(1);
    expect(album[0]!.attachments).toHaveLength(2);
  });

  it('updates an edited message and marks it edited', async () => {
    fake.queueUpdate(HOOK.token, telegramFixture('message-text-ru'));
    const conv = await conversationWith(hookInbox, 'Иван Петров');
    await waitForMessages(conv.id, (m) => m.length === 1);
    await postWebhook(hookUrl(), telegramFixture('edited-message'), SECRET);
    const [edited] = await messagesOf(conv.id);
    expect(edited).toMatchObject({
      text: expect.stringContaining('Спасибо'),
      editedAt: expect.any(String),
    });
  });

  it('makes a shared phone number an identity of the same customer', async () => {
    await postWebhook(hookUrl(), telegramFixture('message-contact'), SECRET);
    const conv = await conversationWith(hookInbox, 'Иван Петров');
    const contact = await admin.get<{ identities: { kind: string; value: string }[] }>(
      `/api/v1/contacts/${conv.contact.id}`,
    );
    expect(contact.body.identities).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'telegram', value: '623456789' }),
        expect.objectContaining({ kind: 'phone', value: '+79161234567' }),
      ]),
    );
  });

  it('answers a button press and takes its data as the customer’s message', async () => {
    const res = await postWebhook(hookUrl(), telegramFixture('callback-query'), SECRET);
    expect(res.status).toBe(200);
    await fake.waitForCall(
      (c) =>
        c.token === HOOK.token &&
        c.method === 'answerCallbackQuery' &&
        c.params.callback_query_id === '2681474962387613495',
    );
    const conv = await conversationWith(hookInbox, 'Иван Петров');
    expect((await messagesOf(conv.id)).map((m) => m.text)).toContain('csat:5');
  });

  it('marks the identity blocked when the customer blocks the bot, and ok again after', async () => {
    const conv = await conversationWith(hookInbox, 'Иван Петров');
    const state = async () =>
      (
        await admin.get<{ identities: { kind: string; state: string }[] }>(
          `/api/v1/contacts/${conv.contact.id}`,
        )
      ).body.identities.find((i) => i.kind === 'telegram')?.state;
    await postWebhook(hookUrl(), telegramFixture('my-chat-member-kicked'), SECRET);
    expect(await state()).toBe('blocked');
    await postWebhook(hookUrl(), telegramFixture('my-chat-member-member'), SECRET);
    expect(await state()).toBe('ok');
  });

  it('links the Telegram account that opens an agent’s deep link to that contact, once', async () => {
    const target = await conversationWith(hookInbox, 'Twice');
    const link = await admin.send<{ url: string }>(
      'POST',
      `/api/v1/contacts/${target.contact.id}/telegram-link`,
      { inboxId: hookInbox },
    );
    expect(link.status).toBe(201);
    const match = /^https:\/\/t\.me\/switchboard_test_bot\?start=([\w-]+)$/.exec(link.body.url);
    expect(match).not.toBeNull();
    const start = (id: number, messageId: number) => ({
      update_id: 100 + messageId,
      message: {
        message_id: messageId,
        from: { id, is_bot: false, first_name: 'Link', last_name: `Opener ${id}` },
        chat: { id, first_name: 'Link', type: 'private' },
        date: Math.floor(Date.now() / 1000),
        text: `/start ${match![1]}`,
        entities: [{ offset: 0, length: 6, type: 'bot_command' }],
      },
    });
    expect((await postWebhook(hookUrl(), start(734567890, 1), SECRET)).status).toBe(200);
    const contact = await admin.get<{ identities: { kind: string; value: string }[] }>(
      `/api/v1/contacts/${target.contact.id}`,
    );
    expect(contact.body.identities.map((i) => `${i.kind}:${i.value}`)).toContain(
      'telegram:734567890',
    );
    // Used once: someone else opening the same link gets a contact of their own.
    await postWebhook(hookUrl(), start(734567891, 1), SECRET);
    const again = await admin.get<{ identities: { kind: string; value: string }[] }>(
      `/api/v1/contacts/${target.contact.id}`,
    );
    expect(again.body.identities.map((i) => i.value)).not.toContain('734567891');
  });

  it('takes group messages only when the inbox serves groups; then the group is the thread', async () => {
    const group = telegramFixture('message-group');
    if (!('message' in group)) throw new Error('fixture shape');
    // Someone the other tests have not met.
    group.message.from = { ...group.message.from!, id: 755555555 };
    expect((await postWebhook(hookUrl(), group, SECRET)).status).toBe(200);
    expect((await conversationsOf(hookInbox)).some((c) => c.contact.name === 'Alex Morgan')).toBe(
      false,
    );
    await admin.send('PATCH', `/api/v1/inboxes/${hookInbox}`, { settings: { allowGroups: true } });
    await postWebhook(hookUrl(), group, SECRET);
    const conv = await conversationWith(hookInbox, 'Alex Morgan');
    await admin.send('POST', `/api/v1/conversations/${conv.id}/messages`, { text: 'Yes, 10–18.' });
    const call = await fake.waitForCall(
      (c) => c.method === 'sendMessage' && c.params.text === 'Yes, 10–18.',
    );
    expect(call.params.chat_id).toBe(-1001987654321);
  });
});
