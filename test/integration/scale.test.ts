import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../src/db/rows';
import {
  connect,
  connectVisitor,
  createAgent,
  login,
  sleep,
  startTestServer,
  visitorSays,
  webchatInboxId,
  type Api,
  type Recorder,
  type TestServer,
} from '../helpers/server';

// Issue 14: lazy visitor sessions, one frame per message, rooms that follow access, live counts,
// folded search served by trigram indexes, and the cleanup of visitors who never wrote.

let t: TestServer;
let admin: Api;
let inboxId: string;
let adminSocket: Recorder;

interface ConversationPayload {
  id: string;
  lastMessagePreview: string | null;
  unreadCount: number;
  status: string;
}
interface Created {
  conversationId: string;
  message: { id: string; text: string };
  conversation?: ConversationPayload;
}

const rows = <T>(query: ReturnType<typeof sql>) => queryRows<T>(t.server.database.db, query);
const countOf = async (table: 'contacts' | 'conversations') =>
  (await rows<{ n: number }>(sql`select count(*)::int as n from ${sql.raw(table)}`))[0]!.n;

beforeAll(async () => {
  t = await startTestServer();
  admin = await login(t.url);
  inboxId = await webchatInboxId(admin);
  adminSocket = await connect(t.url, '/agent', { token: admin.token });
});
afterAll(async () => {
  adminSocket?.socket.disconnect();
  await t?.stop();
});

describe('lazy visitor sessions', () => {
  it('stores nothing for a page view, creates contact and conversation at the first message, and gives a returning visitor their history', async () => {
    const [contactsBefore, conversationsBefore] = [
      await countOf('contacts'),
      await countOf('conversations'),
    ];
    const { visitor, session } = await connectVisitor(t.url);
    expect(session.conversationId).toBeNull();
    expect(session.visitorToken).toMatch(/^v1\./);
    await sleep(200);
    expect(await countOf('contacts')).toBe(contactsBefore);
    expect(await countOf('conversations')).toBe(conversationsBefore);

    const first = await visitorSays(visitor, 'سلام، سفارشم کی میرسه؟');
    const sessions = visitor.of<{ conversationId: string | null }>('session');
    expect(sessions.map((s) => s.conversationId)).toEqual([null, first.conversationId]);
    expect(await countOf('contacts')).toBe(contactsBefore + 1);
    expect(await countOf('conversations')).toBe(conversationsBefore + 1);
    visitor.socket.disconnect();

    const back = await connectVisitor(t.url, { visitorToken: session.visitorToken });
    expect(back.session).toEqual({
      visitorToken: session.visitorToken,
      conversationId: first.conversationId,
    });
    const history = await back.visitor.wait<{ id: string }>('message', (m) => m.id === first.id);
    expect(history).toMatchObject({ text: 'سلام، سفارشم کی میرسه؟', direction: 'in' });
    back.visitor.socket.disconnect();
    expect(await countOf('contacts')).toBe(contactsBefore + 1);
  });
});

describe('one frame per message', () => {
  it('sends message.created with the conversation’s list fields and no conversation.updated, for a customer’s message and for a reply', async () => {
    const { visitor } = await connectVisitor(t.url);
    const first = await visitorSays(visitor, 'first');
    await adminSocket.wait<Created>('message.created', (p) => p.message.id === first.id);
    // Whatever follows the first message (routing, rules) has settled before we count frames.
    await sleep(500);
    const mark = adminSocket.events.length;

    const second = await visitorSays(visitor, 'second question', first.conversationId);
    const created = await adminSocket.wait<Created>(
      'message.created',
      (p) => p.message.id === second.id,
    );
    expect(created.conversation).toMatchObject({
      id: first.conversationId,
      lastMessagePreview: 'second question',
    });

    const reply = await admin.send<{ id: string }>(
      'POST',
      `/api/v1/conversations/${first.conversationId}/messages`,
      { text: 'We are looking at it' },
    );
    const replied = await adminSocket.wait<Created>(
      'message.created',
      (p) => p.message.id === reply.body.id,
    );
    expect(replied.conversation).toMatchObject({
      id: first.conversationId,
      lastMessagePreview: 'We are looking at it',
      unreadCount: 0,
    });
    await sleep(500);
    const after = adminSocket.events.slice(mark);
    const frames = after.filter(
      (e) =>
        (e.name === 'message.created' || e.name === 'conversation.updated') &&
        JSON.stringify(e.payload).includes(first.conversationId),
    );
    expect(frames.map((e) => e.name)).toEqual(['message.created', 'message.created']);
    visitor.socket.disconnect();
  });
});

describe('inbox rooms follow access', () => {
  it('gives an agent the events of an inbox from the moment they join it, and none after they leave', async () => {
    const agent = await createAgent(t.url, admin, 'Roya', []);
    const socket = await connect(t.url, '/agent', { token: agent.token });
    const says = async (text: string) => {
      const { visitor } = await connectVisitor(t.url);
      const sent = await visitorSays(visitor, text);
      await adminSocket.wait<Created>('message.created', (p) => p.message.id === sent.id);
      visitor.socket.disconnect();
      return sent;
    };

    const outside = await says('before Roya joins');
    expect(
      (await admin.send('PATCH', `/api/v1/users/${agent.id}`, { inboxIds: [inboxId] })).status,
    ).toBe(200);
    await sleep(300);
    const member = await says('after Roya joined');
    await socket.wait<Created>('message.created', (p) => p.message.id === member.id);

    expect((await admin.send('PATCH', `/api/v1/users/${agent.id}`, { inboxIds: [] })).status).toBe(
      200,
    );
    await sleep(300);
    const gone = await says('after Roya left');
    await sleep(300);
    const seen = socket.of<Created>('message.created').map((p) => p.message.id);
    expect(seen).toContain(member.id);
    expect(seen).not.toContain(outside.id);
    expect(seen).not.toContain(gone.id);
    socket.socket.disconnect();
  });
});

describe('view counts', () => {
  it('count a new unassigned conversation, then move it to "mine" when it is assigned', async () => {
    type Counts = { all: number; mine: number; unassigned: number; escalated: number };
    const me = await admin.get<{ user: { id: string } }>('/api/v1/auth/me');
    const before = (await admin.get<Counts>('/api/v1/conversations/counts')).body;
    const { visitor } = await connectVisitor(t.url);
    const sent = await visitorSays(visitor, 'count me');
    visitor.socket.disconnect();
    const afterMessage = (await admin.get<Counts>('/api/v1/conversations/counts')).body;
    expect(afterMessage).toMatchObject({
      all: before.all + 1,
      unassigned: before.unassigned + 1,
      mine: before.mine,
    });
    const patched = await admin.send('PATCH', `/api/v1/conversations/${sent.conversationId}`, {
      assigneeId: me.body.user.id,
    });
    expect(patched.status).toBe(200);
    const assigned = (await admin.get<Counts>('/api/v1/conversations/counts')).body;
    expect(assigned).toMatchObject({
      all: before.all + 1,
      unassigned: before.unassigned,
      mine: before.mine + 1,
    });
  });
});

describe('search over folded text', () => {
  it('finds Persian written with Arabic letters and Russian with ё, in messages and contacts', async () => {
    const { visitor } = await connectVisitor(t.url);
    // Arabic yeh and kaf (ي ك) as many keyboards type them; Russian with ё.
    const persian = await visitorSays(visitor, 'پيگيري سفارش كفش مشكي');
    const russian = await visitorSays(
      visitor,
      'Где мой заказ? Жёлтые ботинки',
      persian.conversationId,
    );
    const ack = (await visitor.socket.emitWithAck('contact', {
      name: 'Фёдор Кузнецов',
      email: 'fyodor@example.com',
    })) as { ok?: boolean };
    expect(ack.ok).toBe(true);
    visitor.socket.disconnect();

    type Hits = {
      contacts: { id: string; name: string }[];
      messages: { message: { id: string } }[];
    };
    const search = async (q: string) =>
      (await admin.get<Hits>(`/api/v1/search?q=${encodeURIComponent(q)}`)).body;
    // Persian yeh and kaf find the Arabic ones.
    expect((await search('پیگیری')).messages.map((h) => h.message.id)).toEqual([persian.id]);
    expect((await search('کفش مشکی')).messages.map((h) => h.message.id)).toEqual([persian.id]);
    // е finds ё, in any case.
    expect((await search('ЖЕЛТЫЕ')).messages.map((h) => h.message.id)).toEqual([russian.id]);
    expect((await search('федор')).contacts.map((c) => c.name)).toEqual(['Фёдор Кузнецов']);
  });

  it('has trigram indexes that serve the folded LIKE queries of messages and contacts', async () => {
    const plan = async (query: string) => {
      const db = t.server.database.db;
      return db.transaction(async (tx) => {
        await tx.execute(sql`set local enable_seqscan = off`);
        const result = await queryRows<Record<string, string>>(tx, sql.raw(`explain ${query}`));
        return result.map((r) => Object.values(r)[0]).join('\n');
      });
    };
    expect(await plan(`select id from messages where search_text like '%سفارش%'`)).toContain(
      'messages_search_trgm_idx',
    );
    expect(await plan(`select id from contacts where search_text like '%федор%'`)).toContain(
      'contacts_search_trgm_idx',
    );
  });
});

describe('removing visitors who never wrote', () => {
  const DAY = 24 * 60 * 60 * 1000;

  /** A contact as a widget load of an earlier version left it: identity and empty conversation. */
  async function legacyVisitor(opts: { ageDays: number; email?: string; message?: string }) {
    const at = new Date(Date.now() - opts.ageDays * DAY).toISOString();
    const visitorId = crypto.randomUUID();
    const [contact] = await rows<{ id: string }>(
      sql`insert into contacts (name, created_at, updated_at)
          values (${`Visitor ${visitorId.slice(0, 6)}`}, ${at}::timestamptz, ${at}::timestamptz)
          returning id`,
    );
    await rows(
      sql`insert into contact_identities (contact_id, kind, value)
          values (${contact!.id}, 'webchat', ${visitorId})`,
    );
    if (opts.email)
      await rows(
        sql`insert into contact_identities (contact_id, kind, value)
            values (${contact!.id}, 'email', ${opts.email})`,
      );
    const [conversation] = await rows<{ id: string }>(
      sql`insert into conversations (inbox_id, contact_id, channel, created_at, updated_at)
          values (${inboxId}, ${contact!.id}, 'webchat', ${at}::timestamptz, ${at}::timestamptz)
          returning id`,
    );
    if (opts.message)
      await rows(
        sql`with m as (
              insert into messages (conversation_id, inbox_id, direction, sender_type, text, status)
              values (${conversation!.id}, ${inboxId}, 'in', 'contact', ${opts.message}, 'received')
              returning id)
            update conversations set message_count = 1 where id = ${conversation!.id}`,
      );
    return { contactId: contact!.id, conversationId: conversation!.id, visitorId };
  }

  const exists = async (contactId: string) =>
    (await rows(sql`select 1 from contacts where id = ${contactId}`)).length === 1;

  it('removes old contacts with no message and audits it, keeping recent ones, writers and those who left details', async () => {
    const old = await legacyVisitor({ ageDays: 45 });
    const recent = await legacyVisitor({ ageDays: 3 });
    const wrote = await legacyVisitor({ ageDays: 45, message: 'hello' });
    const detailed = await legacyVisitor({ ageDays: 45, email: 'left@example.com' });

    expect(await t.server.anonymousCleanup.sweep()).toBeGreaterThanOrEqual(1);
    expect(await exists(old.contactId)).toBe(false);
    expect(
      await rows(sql`select 1 from conversations where id = ${old.conversationId}`),
    ).toHaveLength(0);
    for (const kept of [recent, wrote, detailed]) expect(await exists(kept.contactId)).toBe(true);

    const trail = await rows<{
      actor_type: string;
      action: string;
      data: { retentionDays: number };
    }>(
      sql`select actor_type, action, data from audit_log
           where entity = 'contact' and entity_id = ${old.contactId}`,
    );
    expect(trail).toEqual([
      expect.objectContaining({
        actor_type: 'system',
        action: 'anonymous_removed',
        data: expect.objectContaining({ retentionDays: 30 }),
      }),
    ]);
    // Nothing left to do: a second pass removes nothing.
    expect(await t.server.anonymousCleanup.sweep()).toBe(0);
  });

  it('stores a first message that arrives while its contact is being removed, under a fresh contact', async () => {
    const old = await legacyVisitor({ ageDays: 45 });
    const db = t.server.database.db;
    let ingest: Promise<unknown> | undefined;
    await db.transaction(async (tx) => {
      await tx.execute(sql`select id from contacts where id = ${old.contactId} for update`);
      await tx.execute(sql`delete from conversations where contact_id = ${old.contactId}`);
      await tx.execute(sql`delete from contacts where id = ${old.contactId}`);
      // The visitor writes now: the ingest waits for the removal to commit (or, on the embedded
      // database's single connection, runs after it).
      const live = await t.server.host.get(inboxId);
      ingest = t.server.ingest.ingest(
        { ...live!.inbox, threaded: false },
        {
          sender: { kind: 'webchat', value: old.visitorId },
          providerMessageId: `${old.visitorId}:race`,
          text: 'are you there?',
          attachments: [],
        },
      );
      await sleep(300);
    });
    const stored = (await ingest) as { contactId: string; conversation: { id: string } };
    expect(stored.contactId).not.toBe(old.contactId);
    const identity = await rows<{ contact_id: string }>(
      sql`select contact_id from contact_identities
           where kind = 'webchat' and value = ${old.visitorId}`,
    );
    expect(identity).toEqual([{ contact_id: stored.contactId }]);
    const messages = await admin.get<{ items: { text: string }[] }>(
      `/api/v1/conversations/${stored.conversation.id}/messages`,
    );
    expect(messages.body.items.map((m) => m.text)).toEqual(['are you there?']);
  });
});
