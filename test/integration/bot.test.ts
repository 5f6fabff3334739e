import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { DEFAULT_BOT_TEXTS } from '../../src/bot/texts';
import { queryRows } from '../../src/db/rows';
import { rowFromJson } from '../../src/db/json-row';
import { conversations } from '../../src/db/schema';
import type { IngestBotContext } from '../../src/ingest/ingest-batcher';
import { startFakeTelegram, type FakeTelegram } from '../helpers/fakes/telegram';
import { startReceiver } from '../fakes/receiver';
import {
  connect,
  connectVisitor,
  freePort,
  login,
  startTestServer,
  waitFor,
  webchatInboxId,
  type Api,
  type Recorder,
  type TestServer,
  visitorSays,
} from '../helpers/server';

// The bot end to end: a web-chat visitor and a Telegram user each take a complaint down with
// the bot, the complaint exists at level 1 with the reference the customer was told, the
// handover reaches the agent's socket with the transcript, and the agent's reply reaches them.
const BOT = {
  token: '7000000031:AAHbotTestsTokenOnly_0123456789abcd',
  id: 7000000031,
  username: 'switchboard_bot_test_bot',
  firstName: 'Shop Bot',
};

let t: TestServer;
let fake: FakeTelegram;
let admin: Api;
let agentSocket: Recorder;
let webchatInbox: string;
let telegramInbox: string;

interface VisitorMessage {
  id: string;
  text: string;
  direction: 'in' | 'out';
  buttons?: { label: string; value: string }[];
}
interface Complaint {
  reference: string;
  level: number;
  category: string;
  description: string;
  desiredOutcome: string;
  conversationId: string;
}
interface MessageCreated {
  conversationId: string;
  message: { text: string; private: boolean; senderType: string };
}

beforeAll(async () => {
  fake = await startFakeTelegram();
  fake.addBot(BOT);
  const port = await freePort();
  t = await startTestServer({
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    TELEGRAM_API_ROOT: fake.url,
    RECEIVER_TICK_SECONDS: '0.3',
  });
  admin = await login(t.url);
  webchatInbox = await webchatInboxId(admin);
  expect(
    (await admin.send('PATCH', `/api/v1/inboxes/${webchatInbox}`, { botEnabled: true })).status,
  ).toBe(200);
  const tg = await admin.send<{ id: string }>('POST', '/api/v1/inboxes', {
    channel: 'telegram',
    settings: { botToken: BOT.token },
    botEnabled: true,
  });
  expect(tg.status).toBe(201);
  telegramInbox = tg.body.id;
  agentSocket = await connect(t.url, '/agent', { token: admin.token });
});

afterAll(async () => {
  agentSocket?.socket.disconnect();
  await t?.stop();
  await fake?.close();
});

/** Waits for the bot's next message to the visitor after `seen` of them. */
async function botSays(visitor: Recorder, seen: number): Promise<VisitorMessage> {
  const out = () => visitor.of<VisitorMessage>('message').filter((m) => m.direction === 'out');
  await waitFor(out, (m) => m.length > seen, 8_000);
  const next = out()[seen];
  if (!next) throw new Error(`the bot said nothing after ${seen} messages`);
  return next;
}

interface StoredByIngest {
  conversation: Record<string, unknown>;
  message: { id: string; text: string; created_at: string };
  bot: IngestBotContext;
}

/**
 * The visitor's next message as `ingest_message()` stores it, without the process taking the
 * turn (as if it stopped right after the commit): the message, the turn's job and what it read.
 */
async function storedOnly(
  conversationId: string,
  text: string,
  providerId: string,
): Promise<StoredByIngest> {
  const [identity] = await queryRows<{ value: string }>(
    t.server.database.db,
    sql`select ci.value from contact_identities ci join conversations c on c.contact_id = ci.contact_id
         where c.id = ${conversationId}::uuid and ci.kind = 'webchat'`,
  );
  const [stored] = await queryRows<{ result: StoredByIngest }>(
    t.server.database.db,
    sql`select ingest_message(${JSON.stringify({
      inbox: webchatInbox,
      channel: 'webchat',
      kind: 'webchat',
      value: identity!.value,
      text,
      provider_id: providerId,
      start_status: 'bot',
      thread_scope: 'contact',
      hint_conversation: conversationId,
      listeners: { 'message.received': ['bot'] },
    })}::jsonb) as result`,
  );
  return stored!.result;
}

describe('a web-chat customer and the bot', () => {
  it('takes a complaint down, tells its reference, and hands over to an agent who answers', async () => {
    const en = DEFAULT_BOT_TEXTS.en;
    const { visitor } = await connectVisitor(t.url);
    const say = async (text: string) => {
      const ack = (await visitor.socket.emitWithAck('message', { text, locale: 'en-GB' })) as {
        id?: string;
      };
      expect(ack.id).toBeTruthy();
    };
    let n = 0;
    await say('Hello');
    // A turn's replies are one message: the greeting, then the menu with its buttons.
    const menu = await botSays(visitor, n++);
    expect(menu.text).toBe(`${en.greeting}\n\n${en.menuPrompt}`);
    expect(menu.buttons?.map((b) => b.label)).toEqual([
      en.menuQuestion,
      en.menuOrder,
      en.menuComplaint,
      en.menuAgent,
    ]);
    await say(menu.buttons![2]!.value);
    const categories = await botSays(visitor, n++);
    expect(categories.text).toBe(en.askCategory);
    expect(categories.buttons?.map((b) => b.label)).toContain('Delivery');
    await say('Delivery');
    expect((await botSays(visitor, n++)).text).toBe(en.askDescription);
    await say('The parcel came two weeks late and the box was crushed.');
    expect((await botSays(visitor, n++)).text).toBe(en.askOrderOptional);
    await say(en.skip);
    expect((await botSays(visitor, n++)).text).toBe(en.askDesiredOutcome);
    await say('A refund of the shipping cost');
    const confirm = await botSays(visitor, n++);
    expect(confirm.text).toContain('The parcel came two weeks late');
    await say('1');
    const created = await botSays(visitor, n++);
    const reference = /Reference: (\S+?)\./.exec(created.text)?.[1];
    expect(reference).toMatch(/^C-/);

    const complaints = await waitFor(
      async () => (await admin.get<{ items: Complaint[] }>('/api/v1/complaints')).body.items,
      (items) => items.some((c) => c.reference === reference),
    );
    const complaint = complaints.find((c) => c.reference === reference)!;
    expect(complaint).toMatchObject({
      level: 1,
      category: 'delivery',
      description: 'The parcel came two weeks late and the box was crushed.',
      desiredOutcome: 'A refund of the shipping cost',
    });

    // The agent sees the handover: the conversation is open, with the transcript and fields.
    const note = await agentSocket.wait<MessageCreated>(
      'message.created',
      (e) => e.conversationId === complaint.conversationId && e.message.private,
      8_000,
    );
    expect(note.message.text).toContain('Category: Delivery (delivery)');
    expect(note.message.text).toContain('Customer: The parcel came two weeks late');
    expect(note.message.text).toContain(`Bot: ${en.askDescription}`);
    const conversation = await admin.get<{ status: string }>(
      `/api/v1/conversations/${complaint.conversationId}`,
    );
    expect(conversation.body.status).toBe('open');

    // The bot is done: the customer's next words wait for a person, who answers.
    await say('Thanks');
    const reply = await admin.send(
      'POST',
      `/api/v1/conversations/${complaint.conversationId}/messages`,
      {
        text: 'Hello, I am Anna. The refund is on its way.',
      },
    );
    expect(reply.status).toBe(201);
    const answered = await botSays(visitor, n);
    expect(answered.text).toBe('Hello, I am Anna. The refund is on its way.');
    visitor.socket.disconnect();
  });
});

describe('two messages at once', () => {
  it('are answered one after the other, on one consistent dialog', async () => {
    const en = DEFAULT_BOT_TEXTS.en;
    const { visitor } = await connectVisitor(t.url);
    await Promise.all(
      ['hi', 'qwerty'].map((text) => visitor.socket.emitWithAck('message', { text, locale: 'en' })),
    );
    await botSays(visitor, 1);
    const texts = visitor
      .of<VisitorMessage>('message')
      .filter((m) => m.direction === 'out')
      .map((m) => m.text);
    expect(texts).toEqual([
      `${en.greeting}\n\n${en.menuPrompt}`,
      `${en.notUnderstood}\n\n${en.menuPrompt}`,
    ]);
    visitor.socket.disconnect();
  });
});

describe('where a turn is taken', () => {
  const rows = <T extends Record<string, unknown>>(query: ReturnType<typeof sql>) =>
    queryRows<T>(t.server.database.db, query);

  it('answers in the process that stored the message: sent as it commits, nothing left queued', async () => {
    // An integration that follows what is posted hears of the bot's reply like any other.
    const hooks = await startReceiver();
    const hook = await admin.send<{ id: string }>('POST', '/api/v1/webhooks', {
      name: 'Transcript sync',
      url: `${hooks.url}/posted`,
      events: ['message.posted'],
      allowPrivate: true,
    });
    expect(hook.status).toBe(201);
    const { visitor } = await connectVisitor(t.url);
    const { conversationId } = await visitorSays(visitor, 'hello');
    await botSays(visitor, 0);
    // The web widget's reply is a push the widget replays on connect: recorded sent with the
    // turn, pushed right after, with no delivery job; and the turn's safety-net job is gone.
    expect(
      await rows(
        sql`select sender_type, status from messages where conversation_id = ${conversationId}::uuid order by created_at`,
      ),
    ).toEqual([
      { sender_type: 'contact', status: 'received' },
      { sender_type: 'bot', status: 'sent' },
    ]);
    expect(
      await rows(
        sql`select kind, key from jobs where key like 'bot:%' or (kind = 'delivery' and payload->>'messageId' in (select id::text from messages where conversation_id = ${conversationId}::uuid))`,
      ),
    ).toEqual([]);
    const [reply] = await rows<{ id: string }>(
      sql`select id from messages where conversation_id = ${conversationId}::uuid and sender_type = 'bot'`,
    );
    const posted = await waitFor(
      () => hooks.received.filter((r) => r.body.includes(reply!.id)),
      (found) => found.length > 0,
      10_000,
    );
    expect(posted[0]!.headers['x-switchboard-event']).toBe('message.posted');
    expect(posted[0]!.body).toContain(conversationId);
    await admin.send('DELETE', `/api/v1/webhooks/${hook.body.id}`);
    await hooks.close();
    visitor.socket.disconnect();
  });

  it('leaves a turn its process could not take to the worker, which takes it when it is due', async () => {
    const { visitor } = await connectVisitor(t.url);
    const { conversationId } = await visitorSays(visitor, 'hello');
    await botSays(visitor, 0);
    // A process that stored the customer's next message and stopped before taking its turn:
    // the message and the turn's job are there (due in 30 s), and nobody answered yet.
    const stored = await storedOnly(conversationId, 'qwerty', `stopped-${conversationId}`);
    const key = stored.bot.job_key;
    const [job] = await rows<{ later: boolean }>(
      sql`select run_at > now() + interval '20 seconds' as later from jobs where key = ${key}`,
    );
    expect(job).toEqual({ later: true });
    await new Promise((r) => setTimeout(r, 200));
    expect(visitor.of<VisitorMessage>('message').filter((m) => m.direction === 'out')).toHaveLength(
      1,
    );
    // Its time comes (as if 30 s passed): the worker takes the turn and the customer is answered
    // (the bot had asked for a language: text it cannot place is English, and it greets).
    await t.server.database.db.execute(sql`update jobs set run_at = now() where key = ${key}`);
    t.server.worker.kick();
    expect((await botSays(visitor, 1)).text).toBe(
      `${DEFAULT_BOT_TEXTS.en.greeting}\n\n${DEFAULT_BOT_TEXTS.en.menuPrompt}`,
    );
    await waitFor(
      () => rows(sql`select 1 from jobs where key = ${key}`),
      (left) => left.length === 0,
    );
    visitor.socket.disconnect();
  });
});

describe('a quick turn whose dialog changed meanwhile', () => {
  it('writes nothing, and is taken again in a transaction on the new state', async () => {
    const { visitor } = await connectVisitor(t.url);
    const say = (text: string) => visitor.socket.emitWithAck('message', { text, locale: 'en' });
    await say('hello');
    const greeting = await botSays(visitor, 0);
    const conversationId = (
      await visitor.wait<{ conversationId: string }>('session', (s) => !!s.conversationId)
    ).conversationId;
    const stored = await storedOnly(
      conversationId,
      greeting.buttons![0]!.value,
      `raced-${conversationId}`,
    );
    const { bot, message } = stored;
    // Another instance's turn saved the dialog after this message's read.
    await t.server.database.db.execute(
      sql`update bot_state set etag = etag + 1 where key = ${bot.state_key}`,
    );
    const [direct] = await queryRows<{ result: { outcome: string } }>(
      t.server.database.db,
      sql`select bot_turn_commit(${JSON.stringify({
        conversation: conversationId,
        job_key: bot.job_key,
        states: [{ key: bot.state_key, doc: {}, etag: bot.state!.etag }],
        reply: { text: 'stale', search_text: 'stale', preview: 'stale', meta: {} },
        listeners: [],
        posted: {},
      })}::jsonb) as result`,
    );
    expect(direct!.result).toEqual({ outcome: 'conflict' });
    expect(
      await queryRows(t.server.database.db, sql`select 1 from messages where text = 'stale'`),
    ).toEqual([]);
    // The turn as this process takes it: the quick commit is refused, the turn runs again.
    t.server.events.emit('bot.turn', {
      conversation: rowFromJson(conversations, stored.conversation),
      message: { id: message.id, text: message.text, createdAt: new Date(message.created_at) },
      bot,
    });
    const answer = await botSays(visitor, 1);
    expect(answer.text).toBe(DEFAULT_BOT_TEXTS.en.askQuestion);
    await waitFor(
      () => queryRows(t.server.database.db, sql`select 1 from jobs where key = ${bot.job_key}`),
      (left) => left.length === 0,
    );
    await new Promise((r) => setTimeout(r, 200));
    expect(visitor.of<VisitorMessage>('message').filter((m) => m.direction === 'out')).toHaveLength(
      2,
    );
    visitor.socket.disconnect();
  });
});

describe('a quick turn after the bot was switched off', () => {
  it('writes nothing, and the transactional turn hands the customer to people', async () => {
    const { visitor } = await connectVisitor(t.url);
    await visitor.socket.emitWithAck('message', { text: 'hello', locale: 'en' });
    await botSays(visitor, 0);
    const { conversationId } = await visitor.wait<{ conversationId: string }>(
      'session',
      (s) => !!s.conversationId,
    );
    const stored = await storedOnly(conversationId, '1', `switched-${conversationId}`);
    expect(stored.bot.enabled).toBe(true);
    // Switched off between the message's read and its turn's commit.
    await admin.send('PATCH', `/api/v1/inboxes/${webchatInbox}`, { botEnabled: false });
    try {
      t.server.events.emit('bot.turn', {
        conversation: rowFromJson(conversations, stored.conversation),
        message: {
          id: stored.message.id,
          text: stored.message.text,
          createdAt: new Date(stored.message.created_at),
        },
        bot: stored.bot,
      });
      const note = await agentSocket.wait<MessageCreated>(
        'message.created',
        (e) => e.conversationId === conversationId && e.message.private,
        8_000,
      );
      expect(note.message.senderType).toBe('bot');
      const conversation = await admin.get<{ status: string }>(
        `/api/v1/conversations/${conversationId}`,
      );
      expect(conversation.body.status).toBe('open');
      // The bot said nothing more to the customer.
      expect(
        visitor.of<VisitorMessage>('message').filter((m) => m.direction === 'out'),
      ).toHaveLength(1);
    } finally {
      await admin.send('PATCH', `/api/v1/inboxes/${webchatInbox}`, { botEnabled: true });
      visitor.socket.disconnect();
    }
  });
});

describe('a Telegram customer and the bot', () => {
  const ru = DEFAULT_BOT_TEXTS.ru;
  const user = { id: 55501, first_name: 'Иван', language_code: 'ru' };
  let updateId = 1000;
  const text = (body: string) =>
    fake.queueUpdate(BOT.token, {
      update_id: ++updateId,
      message: {
        message_id: updateId,
        from: { ...user, is_bot: false },
        chat: { id: user.id, first_name: user.first_name, type: 'private' },
        date: Math.floor(Date.now() / 1000),
        text: body,
      },
    });
  const press = (data: string) =>
    fake.queueUpdate(BOT.token, {
      update_id: ++updateId,
      callback_query: {
        id: `cb-${updateId}`,
        from: { ...user, is_bot: false },
        chat_instance: '1',
        message: {
          message_id: 1,
          chat: { id: user.id, first_name: user.first_name, type: 'private' },
          date: Math.floor(Date.now() / 1000),
        },
        data,
      },
    });
  const sent = async (count: number) =>
    waitFor(
      async () => fake.sentMessages(BOT.token, user.id),
      (m) => m.length >= count,
      8_000,
    );
  const keyboard = (m: { reply_markup?: unknown } | undefined) =>
    (
      (m?.reply_markup as { inline_keyboard?: { text: string; callback_data: string }[][] })
        ?.inline_keyboard ?? []
    ).map((row) => row[0]!);

  it('greets in Russian by name, takes a complaint from inline buttons and hands over', async () => {
    text('Здравствуйте');
    // A turn's replies are one message: the greeting, then the menu as an inline keyboard.
    let messages = await sent(1);
    expect(messages[0]!.text).toBe(
      `${ru.greetingNamed.replace('{name}', 'Иван')}\n\n${ru.menuPrompt}`,
    );
    const menu = keyboard(messages[0]);
    expect(menu.map((b) => b.text)).toEqual([
      ru.menuQuestion,
      ru.menuOrder,
      ru.menuComplaint,
      ru.menuAgent,
    ]);
    press(menu[2]!.callback_data);
    messages = await sent(2);
    expect(messages[1]!.text).toBe(ru.askCategory);
    press(keyboard(messages[1]).find((b) => b.text === 'Доставка')!.callback_data);
    messages = await sent(3);
    expect(messages[2]!.text).toBe(ru.askDescription);
    text('Курьер не приехал');
    messages = await sent(4);
    press(keyboard(messages[3])[0]!.callback_data);
    messages = await sent(5);
    expect(messages[4]!.text).toBe(ru.askDesiredOutcome);
    text('Доставить завтра');
    messages = await sent(6);
    press(keyboard(messages[5])[0]!.callback_data);
    messages = await sent(7);
    const reference = /Номер: (\S+?)\./.exec(messages[6]!.text ?? '')?.[1];
    expect(reference).toMatch(/^C-/);
    const complaints = await waitFor(
      async () => (await admin.get<{ items: Complaint[] }>('/api/v1/complaints')).body.items,
      (items) => items.some((c) => c.reference === reference),
    );
    const complaint = complaints.find((c) => c.reference === reference)!;
    expect(complaint).toMatchObject({ level: 1, category: 'delivery' });
    const note = await agentSocket.wait<MessageCreated>(
      'message.created',
      (e) => e.conversationId === complaint.conversationId && e.message.private,
      8_000,
    );
    expect(note.message.text).toContain('Customer: Курьер не приехал');
    const contact = await admin.get<{ inboxId: string; contact: { id: string } }>(
      `/api/v1/conversations/${complaint.conversationId}`,
    );
    expect(contact.body.inboxId).toBe(telegramInbox);
    const profile = await admin.get<{ language: string }>(
      `/api/v1/contacts/${contact.body.contact.id}`,
    );
    expect(profile.body.language).toBe('ru');

    const reply = await admin.send(
      'POST',
      `/api/v1/conversations/${complaint.conversationId}/messages`,
      {
        text: 'Иван, курьер будет завтра до 12:00.',
      },
    );
    expect(reply.status).toBe(201);
    messages = await sent(8);
    expect(messages[7]!.text).toBe('Иван, курьер будет завтра до 12:00.');
  });
});
