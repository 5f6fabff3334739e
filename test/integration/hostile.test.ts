import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../src/db/rows';
import {
  connectVisitor,
  login,
  request,
  startTestServer,
  visitorSays,
  type Api,
  type TestServer,
} from '../helpers/server';

/** The findings of the hostile-input review, each kept from coming back. */
let t: TestServer;
let admin: Api;
const missing = '00000000-0000-4000-8000-000000000000';

beforeAll(async () => {
  t = await startTestServer();
  admin = await login(t.url);
});
afterAll(async () => t?.stop());

describe('text with characters the database cannot store', () => {
  it('a web-chat message with NUL is stored without it, not lost', async () => {
    const { visitor } = await connectVisitor(t.url);
    const said = await visitorSays(visitor, 'order 77\u0000 is missing');
    visitor.socket.disconnect();
    const messages = await admin.get<{ items: { text: string }[] }>(
      `/api/v1/conversations/${said.conversationId}/messages`,
    );
    expect(messages.body.items.map((m) => m.text)).toEqual(['order 77 is missing']);
  });

  it('a name with NUL or half an emoji is cleaned, not a 500', async () => {
    const me = await admin.send<{ user: { name: string } }>('PATCH', '/api/v1/auth/me', {
      name: 'Ad\u0000min \uD83D',
    });
    expect(me.status).toBe(200);
    expect(me.body.user.name).toBe('Admin \uFFFD');
    const team = await admin.send<{ name: string }>('POST', '/api/v1/teams', {
      name: 'Bill\u0000ing',
    });
    expect(team.status).toBe(201);
    expect(team.body.name).toBe('Billing');
  });

  it('keeps Persian ZWNJ, right-to-left marks and emoji exactly', async () => {
    const name = 'پشتیبانی‌ ویژه \u200F 🌟';
    const team = await admin.send<{ name: string }>('POST', '/api/v1/teams', { name });
    expect(team.body.name).toBe(name);
  });
});

describe('a row that does not exist', () => {
  it.each([
    ['PATCH', `/api/v1/teams/${missing}`, {}],
    ['PATCH', `/api/v1/teams/${missing}`, { name: 'x' }],
    ['PATCH', `/api/v1/inboxes/${missing}`, {}],
    ['PATCH', `/api/v1/inboxes/${missing}`, { name: 'x' }],
    ['PATCH', `/api/v1/canned-responses/${missing}`, {}],
    ['PATCH', `/api/v1/canned-responses/${missing}`, { content: 'x' }],
    ['DELETE', `/api/v1/teams/${missing}`, undefined],
    ['DELETE', `/api/v1/canned-responses/${missing}`, undefined],
    ['PATCH', `/api/v1/users/${missing}`, {}],
    ['GET', `/api/v1/inboxes/${missing}`, undefined],
  ] as const)('%s %s %j is a 404 whatever the body', async (method, path, body) => {
    const res = await request(t.url, method, path, { token: admin.token, body });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: { code: 'not_found' } });
  });
});

describe('refusals', () => {
  it('name the field that is wrong', async () => {
    const res = await admin.send<{ error: { code: string; message: string } }>(
      'POST',
      '/api/v1/teams',
      { name: 42 },
    );
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^name: /);
  });

  it('refuse keys that mean something to JavaScript objects, and pollute nothing', async () => {
    const [row] = await queryRows<{ id: string }>(
      t.server.database.db,
      sql`select id from contacts limit 1`,
    );
    const res = await request(t.url, 'PATCH', `/api/v1/contacts/${row!.id}`, {
      token: admin.token,
      raw: '{"customAttributes":{"__proto__":{"isAdmin":true}}}',
    });
    expect(res.status).toBe(400);
    expect(({} as { isAdmin?: unknown }).isAdmin).toBeUndefined();
  });

  it('answer 413 for a body over the limit', async () => {
    const res = await request(t.url, 'POST', '/api/v1/teams', {
      token: admin.token,
      raw: JSON.stringify({ name: 'x'.repeat(2_000_000) }),
    });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ error: { code: 'payload_too_large' } });
  });

  it('carry a request id the log can be searched by', async () => {
    const res = await request(t.url, 'GET', '/api/v1/nowhere', { token: admin.token });
    expect(res.status).toBe(404);
    expect(res.headers.get('x-request-id')).toMatch(/^[\w.-]{8,64}$/);
  });
});
