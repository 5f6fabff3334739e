import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BOT_TEXTS } from '../../src/bot/texts';
import {
  login,
  request,
  startTestServer,
  waitFor,
  type Api,
  type TestServer,
} from '../helpers/server';

// POST /api/messages in emulator mode (no MICROSOFT_APP_ID): a fake Bot Framework connector on
// 127.0.0.1 receives the bot's replies; a caller that is not on this machine, or a serviceUrl
// elsewhere, is refused with 401 and nothing is sent anywhere.
interface Posted {
  path: string;
  body: {
    type: string;
    text?: string;
    suggestedActions?: { actions: { title: string; value: string }[] };
    replyToId?: string;
  };
}

let t: TestServer;
let admin: Api;
let connector: Server;
let serviceUrl: string;
const posted: Posted[] = [];

beforeAll(async () => {
  connector = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      posted.push({ path: req.url ?? '', body: JSON.parse(body || '{}') as Posted['body'] });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `sent-${posted.length}` }));
    });
  });
  await new Promise<void>((r) => connector.listen(0, '127.0.0.1', () => r()));
  serviceUrl = `http://127.0.0.1:${(connector.address() as AddressInfo).port}/`;
  t = await startTestServer();
  admin = await login(t.url);
});

afterAll(async () => {
  await t?.stop();
  await new Promise((r) => connector?.close(r));
});

const activity = (id: string, text: string, overrides: Record<string, unknown> = {}) => ({
  type: 'message',
  id,
  text,
  timestamp: new Date().toISOString(),
  channelId: 'emulator',
  serviceUrl,
  locale: 'en-US',
  from: { id: 'user-1', name: 'Emma Stone' },
  recipient: { id: 'bot-1', name: 'Switchboard' },
  conversation: { id: 'conv-1' },
  ...overrides,
});

describe('POST /api/messages in emulator mode', () => {
  it('answers a loopback emulator through its connector, with the menu as suggested actions', async () => {
    const en = DEFAULT_BOT_TEXTS.en;
    const res = await request(t.url, 'POST', '/api/messages', { body: activity('a-1', 'hello') });
    expect(res.status).toBeLessThan(300);
    await waitFor(
      () => posted,
      (p) => p.length >= 1,
      10_000,
    );
    expect(posted[0]!.path).toMatch(/^\/v3\/conversations\/conv-1\/activities/);
    expect(posted[0]!.body.text).toBe(
      `${en.greetingNamed.replace('{name}', 'Emma Stone')}\n\n${en.menuPrompt}`,
    );
    expect(posted[0]!.body.suggestedActions?.actions.map((a) => a.title)).toEqual([
      en.menuQuestion,
      en.menuOrder,
      en.menuComplaint,
      en.menuAgent,
    ]);

    // The conversation is in a Bot Framework inbox with a botframework identity.
    const list = await admin.get<{
      items: { id: string; channel: string; status: string; contact: { id: string } }[];
    }>('/api/v1/conversations?status=bot');
    const conv = list.body.items.find((c) => c.channel === 'botframework');
    expect(conv).toBeDefined();
    const contact = await admin.get<{ identities: { kind: string; value: string }[] }>(
      `/api/v1/contacts/${conv!.contact.id}`,
    );
    expect(contact.body.identities).toContainEqual(
      expect.objectContaining({ kind: 'botframework', value: 'emulator:user-1' }),
    );

    // An agent takes it over like any other conversation.
    const reply = await admin.send('POST', `/api/v1/conversations/${conv!.id}/messages`, {
      text: 'Hi Emma, this is Anna from support.',
    });
    expect(reply.status).toBe(201);
    await waitFor(
      () => posted,
      (p) => p.some((x) => x.body.text === 'Hi Emma, this is Anna from support.'),
      10_000,
    );
    const after = await admin.get<{ status: string }>(`/api/v1/conversations/${conv!.id}`);
    expect(after.body.status).toBe('open');
  });

  it('refuses a caller that is not on this machine', async () => {
    const before = posted.length;
    const res = await request<{ error: { code: string } }>(t.url, 'POST', '/api/messages', {
      body: activity('a-2', 'hello again'),
      // What a reverse proxy on this machine reports for a remote client.
      headers: { 'x-forwarded-for': '203.0.113.7' },
    });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
    await new Promise((r) => setTimeout(r, 500));
    expect(posted.length).toBe(before);
  });

  it('refuses a serviceUrl that is not on this machine, and posts nothing there', async () => {
    const res = await request(t.url, 'POST', '/api/messages', {
      body: activity('a-3', 'hello', { serviceUrl: 'https://connector.example.invalid/' }),
    });
    expect(res.status).toBe(401);
    const conversations = await admin.get<{ items: { channel: string }[] }>(
      '/api/v1/conversations?limit=100',
    );
    // Only the first, allowed conversation exists: refused activities store nothing.
    expect(conversations.body.items.filter((c) => c.channel === 'botframework')).toHaveLength(1);
  });
});

describe('POST /api/messages with MICROSOFT_APP_ID set', () => {
  let authed: TestServer;
  beforeAll(async () => {
    authed = await startTestServer({
      MICROSOFT_APP_ID: '00000000-0000-4000-8000-00000000b07f',
      MICROSOFT_APP_PASSWORD: 'test-password-never-used',
    });
  });
  afterAll(async () => {
    await authed?.stop();
  });

  // Neither request gets as far as fetching Bot Framework's signing keys: no JWT is no JWT, and
  // a token that is not a JWT cannot name an issuer.
  it.each([
    ['no Authorization header', {}],
    ['a bearer that is not a JWT', { authorization: 'Bearer not-a-jwt' }],
  ])('answers 401 to %s, and stores nothing', async (_case, headers) => {
    const res = await request(authed.url, 'POST', '/api/messages', {
      body: activity('a-9', 'hello'),
      headers,
    });
    expect(res.status).toBe(401);
    const api = await login(authed.url);
    const list = await api.get<{ items: unknown[] }>('/api/v1/conversations');
    expect(list.body.items).toHaveLength(0);
  });
});
