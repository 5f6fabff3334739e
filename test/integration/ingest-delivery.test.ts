import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { ChannelSendError, type InboundMessage } from '../../channels/types';
import { conversations, inboxes, jobs, messages, type InboxRow } from '../../src/db/schema';
import type { EventName } from '../../src/events/event-map';
import { queryRows } from '../../src/db/rows';
import { JobQueue } from '../../src/jobs/job-queue';
import { login, startTestServer, type Api, type TestServer, waitFor } from '../helpers/server';
import { ScriptedProvider, scriptedChannel } from '../helpers/scripted-channel';

let t: TestServer;
let admin: Api;
let sms: InboxRow;
const provider = new ScriptedProvider();
let seq = 0;

function inbound(
  phone: string,
  text: string,
  providerMessageId = `SM-in-${++seq}`,
): InboundMessage {
  return {
    sender: { kind: 'phone', value: phone },
    providerMessageId,
    text,
    attachments: [],
  };
}

function recordEvents(names: EventName[]) {
  const seen: { name: EventName; payload: unknown }[] = [];
  for (const name of names)
    t.server.events.on(name, (payload) => void seen.push({ name, payload }));
  return seen;
}

const deliveryJob = async (messageId: string) =>
  (
    await t.server.database.db
      .select()
      .from(jobs)
      .where(sql`${jobs.kind} = 'delivery' and ${jobs.key} = ${messageId}`)
  )[0];

const messageRow = async (id: string) =>
  (await t.server.database.db.select().from(messages).where(eq(messages.id, id)))[0]!;

beforeAll(async () => {
  t = await startTestServer({}, { channels: [scriptedChannel('sms', provider)] });
  admin = await login(t.url);
  const res = await admin.send<{ id: string }>('POST', '/api/v1/inboxes', {
    name: 'SMS',
    channel: 'sms',
  });
  const [row] = await t.server.database.db
    .select()
    .from(inboxes)
    .where(eq(inboxes.id, res.body.id));
  sms = row!;
});
afterAll(async () => t?.stop());

describe('ingest', () => {
  it('creates the contact and conversation for a new identity and announces both after commit', async () => {
    const events = recordEvents([
      'conversation.created',
      'message.created',
      'conversation.updated',
    ]);
    const result = await t.server.ingest.ingest(sms, inbound('+989121234567', 'سلام'));
    expect(result.duplicate).toBe(false);
    expect(result.conversation).toMatchObject({
      channel: 'sms',
      status: 'open',
      unreadCount: 1,
      contact: { name: '+989121234567' },
    });
    expect(events.map((e) => e.name)).toEqual(['conversation.created', 'message.created']);
    const contact = await admin.get<{ identities: unknown[] }>(
      `/api/v1/contacts/${result.contactId}`,
    );
    expect(contact.body.identities).toEqual([
      { kind: 'phone', value: '+989121234567', state: 'ok', stateReason: null },
    ]);
  });

  it('stores a redelivered message once and emits nothing for the repeat', async () => {
    const first = await t.server.ingest.ingest(
      sms,
      inbound('+989120000001', 'order 42?', 'SM-dup-1'),
    );
    const events = recordEvents([
      'message.created',
      'conversation.updated',
      'conversation.created',
    ]);
    const again = await t.server.ingest.ingest(
      sms,
      inbound('+989120000001', 'order 42?', 'SM-dup-1'),
    );
    expect(again).toMatchObject({ duplicate: true, message: { id: first.message.id } });
    expect(events).toEqual([]);
    const list = await admin.get<{ items: unknown[] }>(
      `/api/v1/conversations/${first.conversation.id}/messages`,
    );
    expect(list.body.items).toHaveLength(1);
  });

  it('keeps one copy when the same message arrives concurrently', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        t.server.ingest.ingest(sms, inbound('+989120000002', 'hurry', 'SM-race-1')),
      ),
    );
    expect(new Set(results.map((r) => r.message.id)).size).toBe(1);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
  });

  it('opens one conversation when a new customer sends several messages at once', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        t.server.ingest.ingest(sms, inbound('+79161234567', `часть ${i}`)),
      ),
    );
    expect(new Set(results.map((r) => r.conversation.id)).size).toBe(1);
    expect(new Set(results.map((r) => r.contactId)).size).toBe(1);
    const conv = await admin.get<{ unreadCount: number; messageCount: number }>(
      `/api/v1/conversations/${results[0]!.conversation.id}`,
    );
    expect(conv.body).toMatchObject({ unreadCount: 5, messageCount: 5 });
  });

  it('reopens a recently resolved conversation, and starts a new one after the reopen window', async () => {
    const first = await t.server.ingest.ingest(sms, inbound('+989120000003', 'broken'));
    await admin.send('PATCH', `/api/v1/conversations/${first.conversation.id}`, {
      status: 'resolved',
    });
    const reopened = await t.server.ingest.ingest(sms, inbound('+989120000003', 'still broken'));
    expect(reopened.conversation).toMatchObject({ id: first.conversation.id, status: 'open' });

    await admin.send('PATCH', `/api/v1/conversations/${first.conversation.id}`, {
      status: 'resolved',
    });
    await t.server.database.db
      .update(conversations)
      .set({ resolvedAt: sql`now() - interval '30 days'` })
      .where(eq(conversations.id, first.conversation.id));
    const fresh = await t.server.ingest.ingest(sms, inbound('+989120000003', 'new problem'));
    expect(fresh.conversation.id).not.toBe(first.conversation.id);
    expect(
      (await admin.get<{ status: string }>(`/api/v1/conversations/${first.conversation.id}`)).body
        .status,
    ).toBe('resolved');
  });

  it('takes the session hint, but never into a conversation that is not the sender’s', async () => {
    const mine = await t.server.ingest.ingest(sms, inbound('+989120000005', 'first'));
    const theirs = await t.server.ingest.ingest(sms, inbound('+989120000006', 'other customer'));
    const fast = await t.server.ingest.ingest(sms, inbound('+989120000005', 'second'), {
      conversationId: mine.conversation.id,
    });
    expect(fast.conversation).toMatchObject({ id: mine.conversation.id, messageCount: 2 });
    // A hint naming someone else's conversation falls back to identity resolution.
    const misdirected = await t.server.ingest.ingest(sms, inbound('+989120000005', 'third'), {
      conversationId: theirs.conversation.id,
    });
    expect(misdirected.conversation.id).toBe(mine.conversation.id);
    const other = await admin.get<{ items: { text: string }[] }>(
      `/api/v1/conversations/${theirs.conversation.id}/messages`,
    );
    expect(other.body.items.map((m) => m.text)).toEqual(['other customer']);
  });

  it('stores through the one-statement database function, once per provider id', async () => {
    const base = await t.server.ingest.ingest(sms, inbound('+989120000008', 'hello'));
    const call = (providerId: string) =>
      queryRows<{ result: { outcome: string; conversation?: { message_count: number } } }>(
        t.server.database.db,
        sql`select ingest_message(${JSON.stringify({
          inbox: sms.id,
          channel: 'sms',
          kind: 'phone',
          value: '+989120000008',
          text: 'via function',
          provider_id: providerId,
        })}::jsonb) as result`,
      ).then((rows) => rows[0]!.result);
    expect(await call('fn-1')).toMatchObject({
      outcome: 'stored',
      conversation: { id: base.conversation.id, message_count: 2 },
    });
    expect(await call('fn-1')).toMatchObject({ outcome: 'duplicate' });
  });

  it('stores a burst of session messages, several per conversation, exactly once each', async () => {
    const people = await Promise.all(
      ['+989120000031', '+989120000032', '+989120000033'].map((p) =>
        t.server.ingest.ingest(sms, inbound(p, 'start')),
      ),
    );
    const burst = people.flatMap((person, n) =>
      Array.from({ length: 10 }, (_, k) =>
        t.server.ingest.ingest(
          sms,
          inbound(`+98912000003${n + 1}`, `burst ${k}`, `burst-${n}-${k}`),
          { conversationId: person.conversation.id },
        ),
      ),
    );
    // The same message twice within the burst: stored once.
    const dup = { conversationId: people[0]!.conversation.id };
    const twins = [0, 1].map(() =>
      t.server.ingest.ingest(sms, inbound('+989120000031', 'twin', 'burst-twin'), dup),
    );
    const results = await Promise.all([...burst, ...twins]);
    expect(new Set(results.slice(0, 30).map((r) => r.message.id)).size).toBe(30);
    const [a, b] = results.slice(30);
    expect(a!.message.id).toBe(b!.message.id);
    expect([a!.duplicate, b!.duplicate].sort()).toEqual([false, true]);
    const counts = await Promise.all(
      people.map((p) =>
        admin.get<{ messageCount: number; unreadCount: number }>(
          `/api/v1/conversations/${p.conversation.id}`,
        ),
      ),
    );
    expect(counts.map((c) => c.body.messageCount)).toEqual([12, 11, 11]);
    expect(counts.map((c) => c.body.unreadCount)).toEqual([12, 11, 11]);
  });

  it('leaves the hinted conversation when it was closed long ago', async () => {
    const old = await t.server.ingest.ingest(sms, inbound('+989120000007', 'long ago'));
    await admin.send('PATCH', `/api/v1/conversations/${old.conversation.id}`, {
      status: 'resolved',
    });
    await t.server.database.db
      .update(conversations)
      .set({ resolvedAt: sql`now() - interval '30 days'` })
      .where(eq(conversations.id, old.conversation.id));
    const fresh = await t.server.ingest.ingest(sms, inbound('+989120000007', 'new question'), {
      conversationId: old.conversation.id,
    });
    expect(fresh.conversation.id).not.toBe(old.conversation.id);
    expect(fresh.contactId).toBe(old.contactId);
  });

  it('stores attachments and serves them to agents only', async () => {
    const msg = {
      ...inbound('+989120000004', 'photo of the damage'),
      attachments: [
        { fileName: 'damage.jpg', contentType: 'image/jpeg', data: Buffer.from('fake-jpeg-bytes') },
      ],
    };
    const result = await t.server.ingest.ingest(sms, msg);
    const attachment = result.message.attachments[0]!;
    expect(attachment).toMatchObject({
      fileName: 'damage.jpg',
      contentType: 'image/jpeg',
      size: 15,
    });
    const res = await fetch(`${t.url}${attachment.url}`, {
      headers: { authorization: `Bearer ${admin.token}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('attachment');
    expect(await res.text()).toBe('fake-jpeg-bytes');
    expect((await fetch(`${t.url}${attachment.url}`)).status).toBe(401);
  });
});

describe('outbound delivery', () => {
  it('sends a reply through the channel adapter and records sent with the provider id', async () => {
    const conv = await t.server.ingest.ingest(sms, inbound('+989120000010', 'hi'));
    const reply = await admin.send<{ id: string; status: string }>(
      'POST',
      `/api/v1/conversations/${conv.conversation.id}/messages`,
      { text: 'Hello from support' },
    );
    expect(reply.body.status).toBe('queued');
    const row = await waitFor(
      () => messageRow(reply.body.id),
      (m) => m.status === 'sent',
    );
    expect(row.status).toBe('sent');
    expect(row.providerMessageId).toMatch(/^SM\d+$/);
    expect(provider.sent.find((m) => m.messageId === reply.body.id)).toMatchObject({
      recipient: { kind: 'phone', value: '+989120000010' },
      text: 'Hello from support',
    });
  });

  it('never hands a private note to the adapter', async () => {
    const conv = await t.server.ingest.ingest(sms, inbound('+989120000011', 'hi'));
    const before = provider.sent.length;
    const note = await admin.send<{ id: string }>(
      'POST',
      `/api/v1/conversations/${conv.conversation.id}/messages`,
      { text: 'internal only', private: true },
    );
    // Even a delivery job for it, however it got there, is refused.
    await t.server.database.db
      .insert(jobs)
      .values({ kind: 'delivery', key: note.body.id, payload: { messageId: note.body.id } });
    t.server.worker.kick();
    const row = await waitFor(
      () => deliveryJob(note.body.id),
      (d) => d?.state === 'dead',
    );
    expect(row).toMatchObject({ state: 'dead', lastError: 'private notes are never sent' });
    expect(provider.sent.slice(before).map((m) => m.text)).not.toContain('internal only');
  });

  it('retries a temporary failure with backoff, then records sent', async () => {
    const conv = await t.server.ingest.ingest(sms, inbound('+989120000012', 'hi'));
    provider.failures.push(new ChannelSendError('provider returned 503', true));
    const reply = await admin.send<{ id: string }>(
      'POST',
      `/api/v1/conversations/${conv.conversation.id}/messages`,
      { text: 'retry me' },
    );
    const failedOnce = await waitFor(
      () => messageRow(reply.body.id),
      (m) => m.failureReason !== null,
    );
    expect(failedOnce).toMatchObject({
      status: 'queued',
      failureReason: expect.stringContaining('provider returned 503'),
    });
    const delivery = (await deliveryJob(reply.body.id))!;
    expect(delivery.attempts).toBe(1);
    expect(delivery.runAt.getTime()).toBeGreaterThan(Date.now() + 1000);
    // Time passes: make the retry due now instead of waiting out the backoff.
    await t.server.database.db
      .update(jobs)
      .set({ runAt: new Date() })
      .where(eq(jobs.id, delivery.id));
    t.server.worker.kick();
    const sent = await waitFor(
      () => messageRow(reply.body.id),
      (m) => m.status === 'sent',
    );
    expect(sent).toMatchObject({ status: 'sent', failureReason: null });
  });

  it('records failed with the reason when the provider refuses for good', async () => {
    const conv = await t.server.ingest.ingest(sms, inbound('+989120000013', 'hi'));
    provider.failures.push(new ChannelSendError('21211: invalid To number', false));
    const reply = await admin.send<{ id: string }>(
      'POST',
      `/api/v1/conversations/${conv.conversation.id}/messages`,
      { text: 'doomed' },
    );
    const row = await waitFor(
      () => messageRow(reply.body.id),
      (m) => m.status === 'failed',
    );
    expect(row).toMatchObject({ status: 'failed', failureReason: '21211: invalid To number' });
    const listed = await admin.get<{
      items: { id: string; status: string; failureReason: string }[];
    }>(`/api/v1/conversations/${conv.conversation.id}/messages`);
    expect(listed.body.items.find((m) => m.id === reply.body.id)).toMatchObject({
      status: 'failed',
      failureReason: '21211: invalid To number',
    });
  });
});

describe('the job queue', () => {
  it('takes work a customer waits on ahead of bookkeeping already due', async () => {
    const queue = new JobQueue(t.server.database.db);
    const kind = 'test.order'; // no handler: the server's worker leaves these alone
    const due = Date.now() - 5_000; // already due for a while, one after the other
    for (let i = 0; i < 5; i++)
      await queue.enqueue(t.server.database.db, {
        kind,
        payload: { n: `listener ${i}` },
        runAt: new Date(due + i),
      });
    await queue.enqueue(t.server.database.db, { kind, payload: { n: 'reply' }, urgent: true });
    const [first] = await queue.claim([kind], 1, 'test', 30_000);
    expect(first?.payload).toEqual({ n: 'reply' });
    const rest = await queue.claim([kind], 10, 'test', 30_000);
    expect(rest.map((j) => j.payload['n'])).toEqual([0, 1, 2, 3, 4].map((i) => `listener ${i}`));
    await t.server.database.db.delete(jobs).where(eq(jobs.kind, kind));
  });
});

describe('restart', () => {
  it('sends deliveries that were pending when the server stopped', async () => {
    const conv = await t.server.ingest.ingest(sms, inbound('+989120000020', 'hi'));
    // The provider is down at the moment of the reply, so the delivery is left pending.
    provider.failures.push(new ChannelSendError('connection reset', true));
    const reply = await admin.send<{ id: string }>(
      'POST',
      `/api/v1/conversations/${conv.conversation.id}/messages`,
      { text: 'after restart' },
    );
    await waitFor(
      () => messageRow(reply.body.id),
      (m) => m.failureReason !== null,
    );
    await t.server.database.db
      .update(jobs)
      .set({ runAt: sql`now() + interval '1 second'` })
      .where(eq(jobs.key, reply.body.id));
    await t.halt();

    t = await startTestServer(
      {},
      { storage: t.storage, channels: [scriptedChannel('sms', provider)] },
    );
    admin = await login(t.url);
    const row = await waitFor(
      () => messageRow(reply.body.id),
      (m) => m.status === 'sent',
    );
    expect(row.status).toBe('sent');
    expect(provider.sent.filter((m) => m.messageId === reply.body.id)).toHaveLength(1);
  });
});
