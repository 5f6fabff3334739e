import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authTokens } from '../../src/db/schema';
import {
  ADMIN,
  newVisitorWrites,
  createAgent,
  login,
  request,
  startTestServer,
  webchatInboxId,
  type Api,
  type TestServer,
} from '../helpers/server';

interface Conversation {
  id: string;
  status: string;
  channel: string;
  level: number;
  priority: string;
  labels: string[];
  assignee: { id: string; name: string } | null;
  team: { id: string; name: string } | null;
  unreadCount: number;
  contact: { id: string; name: string; identities?: { kind: string; value: string }[] };
}
interface Message {
  id: string;
  text: string;
  private: boolean;
  status: string;
  direction: string;
}

let t: TestServer;
let admin: Api;
let inboxId: string;

/** A visitor writes once; returns the conversation id. */
const visitorWrites = (text: string) => newVisitorWrites(t.url, text);

beforeAll(async () => {
  t = await startTestServer();
  admin = await login(t.url);
  inboxId = await webchatInboxId(admin);
});
afterAll(async () => t?.stop());

describe('health and documentation', () => {
  it('reports ready', async () => {
    expect(await request(t.url, 'GET', '/healthz')).toMatchObject({
      status: 200,
      body: { status: 'ok' },
    });
  });

  it('describes every route in OpenAPI 3.1', async () => {
    const res = await request<{ openapi: string; paths: Record<string, unknown> }>(
      t.url,
      'GET',
      '/api/v1/openapi.json',
    );
    expect(res.body.openapi).toBe('3.1.0');
    for (const path of [
      '/auth/login',
      '/conversations',
      '/conversations/{id}',
      '/conversations/{id}/messages',
      '/conversations/{id}/escalate',
      '/contacts/{id}',
    ]) {
      expect(res.body.paths).toHaveProperty([path]);
    }
  });

  it('sends security headers', async () => {
    const res = await request(t.url, 'GET', '/healthz');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
  });
});

describe('authentication', () => {
  it('returns a token and the user, and sets an httpOnly strict cookie', async () => {
    const res = await request<{ token: string; user: { email: string; role: string } }>(
      t.url,
      'POST',
      '/api/v1/auth/login',
      { body: ADMIN },
    );
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ email: ADMIN.email, role: 'admin' });
    expect(res.headers.get('set-cookie')).toMatch(/sb_session=.*HttpOnly.*SameSite=Strict/i);
  });

  it.each([
    ['wrong password', { email: ADMIN.email, password: 'nope-nope' }],
    ['unknown e-mail', { email: 'ghost@example.com', password: 'whatever' }],
  ])('refuses a %s with 401', async (_name, body) => {
    const res = await request(t.url, 'POST', '/api/v1/auth/login', { body });
    expect(res).toMatchObject({ status: 401, body: { error: { code: 'invalid_credentials' } } });
  });

  it('refuses requests without, or with a wrong, token', async () => {
    expect((await request(t.url, 'GET', '/api/v1/conversations')).status).toBe(401);
    const res = await request(t.url, 'GET', '/api/v1/conversations', { token: 'forged-token' });
    expect(res).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
  });

  it('revokes the token on logout', async () => {
    const session = await login(t.url);
    expect((await session.get('/api/v1/auth/me')).status).toBe(200);
    expect((await session.send('POST', '/api/v1/auth/logout')).status).toBe(204);
    expect((await session.get('/api/v1/auth/me')).status).toBe(401);
  });

  it('refuses an expired token', async () => {
    const session = await login(t.url);
    expect((await session.get('/api/v1/auth/me')).status).toBe(200);
    await t.server.database.db
      .update(authTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(authTokens.tokenHash, createHash('sha256').update(session.token).digest('hex')));
    const res = await session.get('/api/v1/auth/me');
    expect(res).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
  });

  it('accepts the session cookie for reads but refuses cross-site writes', async () => {
    const res = await request<{ token: string }>(t.url, 'POST', '/api/v1/auth/login', {
      body: ADMIN,
    });
    const cookie = `sb_session=${res.body.token}`;
    expect((await request(t.url, 'GET', '/api/v1/auth/me', { headers: { cookie } })).status).toBe(
      200,
    );
    const crossSite = await request(t.url, 'PATCH', '/api/v1/auth/me', {
      headers: { cookie, origin: 'https://evil.example' },
      body: { name: 'Hacked' },
    });
    expect(crossSite).toMatchObject({ status: 403, body: { error: { code: 'csrf_rejected' } } });
    const sameSite = await request<{ user: { name: string } }>(t.url, 'PATCH', '/api/v1/auth/me', {
      headers: { cookie, origin: t.url },
      body: { locale: 'fa' },
    });
    expect(sameSite.status).toBe(200);
  });

  it('rate-limits repeated failed logins', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      statuses.push(
        (
          await request(t.url, 'POST', '/api/v1/auth/login', {
            body: { email: 'brute@example.com', password: `guess-${i}` },
          })
        ).status,
      );
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });
});

describe('bad input', () => {
  it('answers malformed JSON with 400 bad_json', async () => {
    const res = await request(t.url, 'POST', '/api/v1/auth/login', { raw: '{"email":' });
    expect(res).toMatchObject({ status: 400, body: { error: { code: 'bad_json' } } });
  });

  it('answers an oversized body with 413', async () => {
    const res = await request(t.url, 'POST', '/api/v1/auth/login', {
      raw: JSON.stringify({ email: 'a@b.co', password: 'x'.repeat(2_000_000) }),
    });
    expect(res).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large' } } });
  });

  it('names unknown fields', async () => {
    const id = await visitorWrites('unknown fields test');
    const res = await admin.send<{ error: { message: string } }>(
      'PATCH',
      `/api/v1/conversations/${id}`,
      { status: 'open', colour: 'red' },
    );
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('colour');
    expect((await admin.get<Conversation>(`/api/v1/conversations/${id}`)).body.status).toBe('open');
  });

  it('answers a malformed id with 400 and an unknown one with 404', async () => {
    expect((await admin.get('/api/v1/conversations/not-a-uuid')).body).toMatchObject({
      error: { code: 'validation_failed' },
    });
    const missing = await admin.get('/api/v1/conversations/00000000-0000-4000-8000-000000000000');
    expect(missing).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
  });

  it('rejects a bad status value and writes nothing', async () => {
    const id = await visitorWrites('bad status test');
    const res = await admin.send('PATCH', `/api/v1/conversations/${id}`, {
      status: 'closed-forever',
    });
    expect(res.status).toBe(400);
    expect((await admin.get<Conversation>(`/api/v1/conversations/${id}`)).body.status).toBe('open');
  });

  it('answers unknown routes with a JSON 404', async () => {
    expect(await admin.get('/api/v1/nothing-here')).toMatchObject({
      status: 404,
      body: { error: { code: 'not_found' } },
    });
  });
});

describe('conversations', () => {
  it('lists newest activity first with the contract shape', async () => {
    const older = await visitorWrites('first customer');
    const newer = await visitorWrites('second customer');
    const res = await admin.get<{ items: Conversation[] }>('/api/v1/conversations');
    const ids = res.body.items.map((c) => c.id);
    expect(ids.indexOf(newer)).toBeLessThan(ids.indexOf(older));
    expect(res.body.items[0]).toMatchObject({
      id: newer,
      status: 'open',
      channel: 'webchat',
      contact: { id: expect.any(String), name: expect.any(String) },
    });
  });

  it('returns a conversation with its contact and identities', async () => {
    const id = await visitorWrites('who am I');
    const res = await admin.get<Conversation>(`/api/v1/conversations/${id}`);
    expect(res.body.contact.identities).toEqual([
      { kind: 'webchat', value: expect.any(String), state: 'ok', stateReason: null },
    ]);
    const contact = await admin.get<{ id: string; identities: unknown[] }>(
      `/api/v1/contacts/${res.body.contact.id}`,
    );
    expect(contact.body).toMatchObject({
      id: res.body.contact.id,
      identities: [{ kind: 'webchat' }],
    });
  });

  it('assigns, sets priority, labels and status, and filters by them', async () => {
    const id = await visitorWrites('please label me');
    const me = (await admin.get<{ user: { id: string } }>('/api/v1/auth/me')).body.user;
    const team = await admin.send<{ id: string }>('POST', '/api/v1/teams', {
      name: 'Billing',
      memberIds: [me.id],
    });
    const patched = await admin.send<Conversation>('PATCH', `/api/v1/conversations/${id}`, {
      assigneeId: me.id,
      teamId: team.body.id,
      priority: 'high',
      labels: ['refund', 'vip'],
      status: 'pending',
    });
    expect(patched.body).toMatchObject({
      assignee: { id: me.id },
      team: { id: team.body.id, name: 'Billing' },
      priority: 'high',
      labels: ['refund', 'vip'],
      status: 'pending',
    });
    const filters = [
      'view=mine',
      'status=pending',
      'priority=high',
      'label=vip',
      `teamId=${team.body.id}`,
      'channel=webchat',
    ];
    for (const f of filters) {
      const ids = (
        await admin.get<{ items: Conversation[] }>(`/api/v1/conversations?${f}`)
      ).body.items.map((c) => c.id);
      expect(ids, f).toContain(id);
    }
    const unassigned = (
      await admin.get<{ items: Conversation[] }>('/api/v1/conversations?view=unassigned')
    ).body.items.map((c) => c.id);
    expect(unassigned).not.toContain(id);
    const counts = await admin.get<{ mine: number; teams: Record<string, number> }>(
      '/api/v1/conversations/counts',
    );
    expect(counts.body.mine).toBeGreaterThanOrEqual(1);
    expect(counts.body.teams[team.body.id]).toBe(1);
  });

  it('pages with a cursor without repeating or skipping', async () => {
    for (let i = 0; i < 5; i++) await visitorWrites(`page ${i}`);
    const all = (
      await admin.get<{ items: Conversation[] }>('/api/v1/conversations?limit=100')
    ).body.items.map((c) => c.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: Conversation[]; nextCursor: string | null } } =
        await admin.get(`/api/v1/conversations?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.body.items.map((c) => c.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);
    expect((await admin.get('/api/v1/conversations?cursor=garbage')).status).toBe(400);
  });

  it('escalates level by level, records why, and refuses past level 4', async () => {
    const id = await visitorWrites('this is unacceptable');
    const first = await admin.send<Conversation>('POST', `/api/v1/conversations/${id}/escalate`, {
      reason: 'customer asked for a manager',
    });
    expect(first).toMatchObject({ status: 200, body: { level: 2 } });
    expect(
      (
        await admin.send<Conversation>('POST', `/api/v1/conversations/${id}/escalate`, {
          reason: 'mentions a lawyer',
          level: 4,
        })
      ).body.level,
    ).toBe(4);
    expect(
      (await admin.send('POST', `/api/v1/conversations/${id}/escalate`, { reason: 'again' }))
        .status,
    ).toBe(409);
    expect((await admin.send('POST', `/api/v1/conversations/${id}/escalate`, {})).status).toBe(400);
    const history = await admin.get<{
      items: { fromLevel: number; toLevel: number; reason: string }[];
    }>(`/api/v1/conversations/${id}/escalations`);
    expect(history.body.items.map((e) => [e.fromLevel, e.toLevel, e.reason])).toEqual([
      [0, 2, 'customer asked for a manager'],
      [2, 4, 'mentions a lawyer'],
    ]);
    const escalated = (
      await admin.get<{ items: Conversation[] }>('/api/v1/conversations?view=escalated')
    ).body.items.map((c) => c.id);
    expect(escalated).toContain(id);
  });

  it('stores replies as queued then sent, and private notes as never sent', async () => {
    const id = await visitorWrites('hello?');
    const reply = await admin.send<Message>('POST', `/api/v1/conversations/${id}/messages`, {
      text: 'Hi! How can I help?',
    });
    expect(reply).toMatchObject({
      status: 201,
      body: { direction: 'out', private: false, status: 'queued' },
    });
    const note = await admin.send<Message>('POST', `/api/v1/conversations/${id}/messages`, {
      text: 'customer seems upset',
      private: true,
    });
    expect(note.body).toMatchObject({ private: true });
    let messages: Message[] = [];
    for (let i = 0; i < 50; i++) {
      messages = (await admin.get<{ items: Message[] }>(`/api/v1/conversations/${id}/messages`))
        .body.items;
      if (messages.find((m) => m.id === reply.body.id)?.status === 'sent') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(messages.map((m) => [m.direction, m.text, m.private])).toEqual([
      ['in', 'hello?', false],
      ['out', 'Hi! How can I help?', false],
      ['out', 'customer seems upset', true],
    ]);
    expect(messages.find((m) => m.id === reply.body.id)?.status).toBe('sent');
  });

  it('edits a contact and searches it with Persian and Russian folding', async () => {
    const id = await visitorWrites('پيگيري سفارش ۱۲۳۴');
    const conv = (await admin.get<Conversation>(`/api/v1/conversations/${id}`)).body;
    const edited = await admin.send<{ name: string; tier: string }>(
      'PATCH',
      `/api/v1/contacts/${conv.contact.id}`,
      { name: 'Алёна Петрова', tier: 'gold', customAttributes: { city: 'Tehran' } },
    );
    expect(edited.body).toMatchObject({ name: 'Алёна Петрова', tier: 'gold' });
    const byName = await admin.get<{ items: { id: string }[] }>(
      `/api/v1/contacts?q=${encodeURIComponent('алена')}`,
    );
    expect(byName.body.items.map((c) => c.id)).toContain(conv.contact.id);
    const byText = await admin.get<{ messages: { message: Message }[] }>(
      `/api/v1/search?q=${encodeURIComponent('پیگیری سفارش 1234')}`,
    );
    expect(byText.body.messages.map((m) => m.message.text)).toContain('پيگيري سفارش ۱۲۳۴');
    const list = await admin.get<{ items: Conversation[] }>(
      `/api/v1/conversations?q=${encodeURIComponent('پیگیری')}`,
    );
    expect(list.body.items.map((c) => c.id)).toContain(id);
  });
});

describe('roles and inbox membership', () => {
  it('shows an agent only the inboxes they are a member of', async () => {
    const id = await visitorWrites('member-only');
    const other = await admin.send<{ id: string }>('POST', '/api/v1/inboxes', {
      name: 'Other site',
      channel: 'webchat',
    });
    const outsider = await createAgent(t.url, admin, 'Outsider', [other.body.id]);
    const member = await createAgent(t.url, admin, 'Member', [inboxId]);
    expect(
      (await outsider.get<{ items: Conversation[] }>('/api/v1/conversations')).body.items,
    ).toEqual([]);
    expect((await outsider.get(`/api/v1/conversations/${id}`)).status).toBe(404);
    expect(
      (await outsider.send('POST', `/api/v1/conversations/${id}/messages`, { text: 'sneaky' }))
        .status,
    ).toBe(404);
    expect(
      (await member.get<{ items: Conversation[] }>('/api/v1/conversations')).body.items.map(
        (c) => c.id,
      ),
    ).toContain(id);
    expect((await member.send('POST', '/api/v1/teams', { name: 'Not allowed' })).status).toBe(403);
  });

  it('revokes a deactivated agent at once', async () => {
    const agent = await createAgent(t.url, admin, 'Leaver', [inboxId]);
    expect((await agent.get('/api/v1/auth/me')).status).toBe(200);
    expect((await admin.send('PATCH', `/api/v1/users/${agent.id}`, { active: false })).status).toBe(
      200,
    );
    expect((await agent.get('/api/v1/auth/me')).status).toBe(401);
    const again = await request(t.url, 'POST', '/api/v1/auth/login', {
      body: { email: 'leaver@example.com', password: 'agent-password-1' },
    });
    expect(again.status).toBe(401);
  });

  it('refuses a duplicate e-mail with 409', async () => {
    const res = await admin.send('POST', '/api/v1/users', {
      email: ADMIN.email.toUpperCase(),
      name: 'Dup',
      role: 'agent',
    });
    expect(res).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
  });
});
