import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../src/db/rows';
import { createTestStorage, type TestStorage } from '../helpers/database';
import { postWebhook, startFakeTelegram, type FakeTelegram } from '../helpers/fakes/telegram';
import { freePort, login, startTestServer, type TestServer } from '../helpers/server';

// The inbox made from TELEGRAM_* variables, the webhook's health as Telegram reports it, files
// over the limit, and — on PostgreSQL — two instances sharing one polling bot.

let fake: FakeTelegram;
let counter = 0;

function bot(): { token: string; id: number; username: string; firstName: string } {
  counter += 1;
  const id = 7100000000 + counter;
  return {
    token: `${id}:AAHreceiverTestBot_${counter}_xxxxxxxxxxxx`,
    id,
    username: `r${counter}_bot`,
    firstName: `R${counter}`,
  };
}

async function waitFor<T>(probe: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (ok(value) || Date.now() > end) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

function update(
  userId: number,
  messageId: number,
  text: string,
  extra: Record<string, unknown> = {},
) {
  return {
    message: {
      message_id: messageId,
      from: { id: userId, is_bot: false, first_name: `User ${userId}` },
      chat: { id: userId, first_name: `User ${userId}`, type: 'private' },
      date: Math.floor(Date.now() / 1000),
      text,
      ...extra,
    },
  };
}

const inboundTexts = async (server: TestServer) =>
  (
    await queryRows<{ text: string }>(
      server.server.database.db,
      sql`select text from messages where direction = 'in' order by created_at`,
    )
  ).map((r) => r.text);

beforeAll(async () => {
  fake = await startFakeTelegram({ webhookRetryMs: 20 });
});
afterAll(async () => {
  await fake?.close();
});

describe('the inbox from TELEGRAM_* variables', () => {
  let t: TestServer;
  const b = bot();
  afterAll(async () => t?.stop());

  let port: number;
  beforeAll(async () => {
    fake.addBot(b);
    // Telegram could not reach us a minute ago: the inbox must say so.
    fake.setWebhookInfo(b.token, {
      last_error_date: Math.floor(Date.now() / 1000) - 60,
      last_error_message: 'Connection timed out',
    });
    port = await freePort();
    t = await startTestServer({
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      TELEGRAM_API_ROOT: fake.url,
      TELEGRAM_BOT_TOKEN: b.token,
      TELEGRAM_WEBHOOK_SECRET: 'env-secret',
      RECEIVER_TICK_SECONDS: '0.3',
    });
  });

  it('registers PUBLIC_URL/webhooks/telegram with the secret and reports Telegram’s last error', async () => {
    await waitFor(
      async () => fake.webhook(b.token),
      (w) => w !== undefined,
    );
    expect(fake.webhook(b.token)).toMatchObject({
      url: `http://127.0.0.1:${port}/webhooks/telegram`,
      secret_token: 'env-secret',
    });
    const admin = await login(t.url);
    type InboxItem = {
      id: string;
      channel: string;
      source: string;
      health: Record<string, unknown>;
    };
    const inbox = await waitFor(
      async () =>
        (await admin.get<{ items: InboxItem[] }>('/api/v1/inboxes')).body.items.find(
          (i) => i.channel === 'telegram',
        ),
      (i) => i?.health['status'] === 'failing',
    );
    expect(inbox).toMatchObject({
      source: 'env',
      health: {
        status: 'failing',
        lastError: expect.stringContaining('Connection timed out'),
        detail: expect.objectContaining({
          lastErrorMessage: 'Connection timed out',
          pendingUpdateCount: 0,
        }),
      },
    });
  });

  it('takes updates at /webhooks/telegram', async () => {
    const res = await postWebhook(
      `${t.url}/webhooks/telegram`,
      { update_id: 1, ...update(42, 1, 'via env') },
      'env-secret',
    );
    expect(res.status).toBe(200);
    expect(await inboundTexts(t)).toContain('via env');
  });

  it('stores a message whose file is over the limit, the file marked too large', async () => {
    const bytes = Buffer.alloc(21 * 1024 * 1024, 1);
    fake.addFile(b.token, {
      file_id: 'BQbig',
      file_unique_id: 'big',
      file_path: 'documents/big.pdf',
      bytes,
    });
    const body = update(42, 2, 'the big scan', {
      document: {
        file_id: 'BQbig',
        file_unique_id: 'big',
        file_name: 'big.pdf',
        mime_type: 'application/pdf',
        file_size: bytes.length,
      },
    });
    expect(
      (await postWebhook(`${t.url}/webhooks/telegram`, { update_id: 2, ...body }, 'env-secret'))
        .status,
    ).toBe(200);
    const state = await waitFor(
      async () =>
        (
          await queryRows<{ fetch_state: string }>(
            t.server.database.db,
            sql`select fetch_state from attachments where file_name = 'big.pdf'`,
          )
        )[0]?.fetch_state,
      (s) => s === 'too_large',
    );
    expect(state).toBe('too_large');
    expect(await inboundTexts(t)).toContain('the big scan');
  });

  // Starts (and migrates) a server of its own: allow for a busy machine.
  it(
    'stops start-up naming the variable when the token is malformed',
    { timeout: 90_000 },
    async () => {
      const storage = await createTestStorage();
      try {
        await expect(
          startTestServer(
            { TELEGRAM_API_ROOT: fake.url, TELEGRAM_BOT_TOKEN: 'not-a-token' },
            { storage },
          ),
        ).rejects.toThrow(/TELEGRAM_BOT_TOKEN/);
      } finally {
        await storage.cleanup();
      }
    },
  );
});

describe.runIf(process.env.DATABASE_URL)('two instances polling one bot', () => {
  let storage: TestStorage;
  let a: TestServer;
  let b: TestServer;
  const shared = bot();

  beforeAll(async () => {
    fake.addBot(shared);
    storage = await createTestStorage();
    const env = {
      TELEGRAM_API_ROOT: fake.url,
      TELEGRAM_BOT_TOKEN: shared.token,
      RECEIVER_LEASE_SECONDS: '2',
      RECEIVER_TICK_SECONDS: '0.5',
    };
    a = await startTestServer(env, { storage });
    b = await startTestServer(env, { storage });
  });
  afterAll(async () => {
    await a?.halt();
    await b?.stop();
  });

  it('polls once: exactly one instance holds the receiver, and each update is stored once', async () => {
    for (let i = 1; i <= 5; i++) fake.queueUpdate(shared.token, update(5000 + i, i, `first ${i}`));
    const texts = await waitFor(
      () => inboundTexts(a),
      (all) => all.filter((x) => x.startsWith('first')).length === 5,
    );
    expect(texts.filter((x) => x.startsWith('first')).sort()).toEqual([
      'first 1',
      'first 2',
      'first 3',
      'first 4',
      'first 5',
    ]);
    expect(a.server.receivers.held().length + b.server.receivers.held().length).toBe(1);
    const conflicts = fake.calls.filter(
      (c) =>
        c.token === shared.token &&
        c.response &&
        'status' in c.response &&
        c.response.status === 409,
    );
    expect(conflicts).toEqual([]);
  });

  it('lets the other instance take over when the poller stops: nothing lost or doubled', async () => {
    const [poller, other] = a.server.receivers.held().length ? [a, b] : [b, a];
    await poller.halt();
    for (let i = 6; i <= 10; i++)
      fake.queueUpdate(shared.token, update(5000 + i, i, `second ${i}`));
    const texts = await waitFor(
      () => inboundTexts(other),
      (all) => all.filter((x) => x.startsWith('second')).length === 5,
      15_000,
    );
    expect(other.server.receivers.held()).toHaveLength(1);
    expect(texts.filter((x) => x.startsWith('first') || x.startsWith('second'))).toHaveLength(10);
    expect(new Set(texts).size).toBe(texts.length);
    // Whichever stopped is restarted so that afterAll stops both in order.
    if (poller === a)
      a = await startTestServer(
        { TELEGRAM_API_ROOT: fake.url, TELEGRAM_BOT_TOKEN: shared.token },
        { storage },
      );
    else
      b = await startTestServer(
        { TELEGRAM_API_ROOT: fake.url, TELEGRAM_BOT_TOKEN: shared.token },
        { storage },
      );
  });
});
