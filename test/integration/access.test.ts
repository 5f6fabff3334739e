import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connect,
  createAgent,
  login,
  request,
  sleep,
  startTestServer,
  webchatInboxId,
  type Api,
  type Recorder,
  type TestServer,
} from '../helpers/server';
import type { InboundMessage } from '../../channels/types';

/**
 * An agent who is a member of no inbox of a conversation sees nothing of it: not the
 * conversation, not its contact, not its files, not its events, over REST and the socket.
 */
let t: TestServer;
let admin: Api;
let member: Api & { id: string };
let outsider: Api & { id: string };
let outsiderSocket: Recorder;
let conversationId: string;
let contactId: string;
let attachmentUrl: string;

const say = (text: string): InboundMessage => ({
  sender: { kind: 'webchat', value: '7a1b2c3d-0000-4000-8000-00000000abcd', name: 'Zahra Karimi' },
  providerMessageId: `access-${text}`,
  text,
  attachments: [
    { fileName: 'receipt.pdf', contentType: 'application/pdf', data: Buffer.from('%PDF') },
  ],
});

beforeAll(async () => {
  t = await startTestServer();
  admin = await login(t.url);
  const inboxId = await webchatInboxId(admin);
  const other = await admin.send<{ id: string }>('POST', '/api/v1/inboxes', {
    name: 'Other shop',
    channel: 'webchat',
  });
  member = await createAgent(t.url, admin, 'Member', [inboxId]);
  outsider = await createAgent(t.url, admin, 'Outsider', [other.body.id]);
  outsiderSocket = await connect(t.url, '/agent', { token: outsider.token });
  const live = await t.server.host.get(inboxId);
  const stored = await t.server.ingest.ingest(
    { ...live!.inbox, threaded: false },
    say('my refund for order 7781'),
  );
  conversationId = stored.conversation.id;
  contactId = stored.contactId;
  attachmentUrl = stored.message.attachments[0]!.url;
});
afterAll(async () => {
  outsiderSocket?.socket.disconnect();
  await t?.stop();
});

describe('an agent outside the inbox', () => {
  it.each([
    ['GET', () => `/api/v1/conversations/${conversationId}`, undefined],
    ['PATCH', () => `/api/v1/conversations/${conversationId}`, { priority: 'high' }],
    ['POST', () => `/api/v1/conversations/${conversationId}/read`, undefined],
    ['POST', () => `/api/v1/conversations/${conversationId}/escalate`, { reason: 'x' }],
    ['GET', () => `/api/v1/conversations/${conversationId}/escalations`, undefined],
    ['GET', () => `/api/v1/conversations/${conversationId}/messages`, undefined],
    ['POST', () => `/api/v1/conversations/${conversationId}/messages`, { text: 'hi' }],
    ['GET', () => `/api/v1/contacts/${contactId}`, undefined],
    ['PATCH', () => `/api/v1/contacts/${contactId}`, { name: 'Renamed by an outsider' }],
    ['GET', () => `/api/v1/contacts/${contactId}/conversations`, undefined],
    ['GET', () => attachmentUrl, undefined],
  ] as const)('gets 404 for %s %s', async (method, path, body) => {
    const res = await request(t.url, method, path(), { token: outsider.token, body });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: { code: 'not_found' } });
  });

  it('finds neither the contact nor the message by searching', async () => {
    const contacts = await outsider.get<{ items: unknown[] }>('/api/v1/contacts?q=Zahra');
    expect(contacts.body.items).toEqual([]);
    const found = await outsider.get<{ contacts: unknown[]; messages: unknown[] }>(
      '/api/v1/search?q=refund',
    );
    expect(found.body).toEqual({ contacts: [], messages: [] });
    // The member of the inbox does find both.
    const theirs = await member.get<{ contacts: unknown[]; messages: unknown[] }>(
      '/api/v1/search?q=refund',
    );
    expect(theirs.body.messages).toHaveLength(1);
    expect(
      (await member.get<{ items: unknown[] }>('/api/v1/contacts?q=Zahra')).body.items,
    ).toHaveLength(1);
  });

  it('does not see the conversation in lists or counts, nor the inbox', async () => {
    const list = await outsider.get<{ items: { id: string }[] }>('/api/v1/conversations?view=all');
    expect(list.body.items.map((c) => c.id)).not.toContain(conversationId);
    const counts = await outsider.get<{ all: number }>('/api/v1/conversations/counts');
    expect(counts.body.all).toBe(0);
    const inboxes = await outsider.get<{ items: { name: string }[] }>('/api/v1/inboxes');
    expect(inboxes.body.items.map((i) => i.name)).toEqual(['Other shop']);
  });

  it('is refused on every socket action and receives none of its events', async () => {
    for (const [event, payload] of [
      ['conversation.view', { conversationId }],
      ['typing', { conversationId, typing: true }],
      ['message.send', { conversationId, text: 'hi' }],
    ] as const) {
      const ack = (await outsiderSocket.socket.emitWithAck(event, payload)) as {
        error?: { code: string };
      };
      expect(ack.error?.code, event).toBe('not_found');
    }
    const memberSocket = await connect(t.url, '/agent', { token: member.token });
    const reply = await member.send<{ id: string }>(
      'POST',
      `/api/v1/conversations/${conversationId}/messages`,
      { text: 'We are on it' },
    );
    await memberSocket.wait(
      'message.created',
      (p: { message: { id: string } }) => p.message.id === reply.body.id,
    );
    await sleep(300);
    memberSocket.socket.disconnect();
    const leaked = outsiderSocket.events.filter((e) =>
      JSON.stringify(e.payload).includes(conversationId),
    );
    expect(leaked).toEqual([]);
  });

  it('changed nothing with its attempts', async () => {
    const contact = await admin.get<{ name: string }>(`/api/v1/contacts/${contactId}`);
    expect(contact.body.name).toBe('Zahra Karimi');
    const conv = await admin.get<{ priority: string; level: number }>(
      `/api/v1/conversations/${conversationId}`,
    );
    expect(conv.body).toMatchObject({ priority: 'none', level: 0 });
  });

  it('sees the contact once it is a member of one of the contact’s inboxes', async () => {
    const inboxId = await webchatInboxId(admin);
    const me = await outsider.get<{ user: { inboxIds: string[] } }>('/api/v1/auth/me');
    await admin.send('PATCH', `/api/v1/users/${outsider.id}`, {
      inboxIds: [...me.body.user.inboxIds, inboxId],
    });
    expect((await outsider.get(`/api/v1/contacts/${contactId}`)).status).toBe(200);
  });
});
