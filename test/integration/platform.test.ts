import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import type { InboundMessage } from '../../channels/types';
import {
  auditLog,
  complaints,
  conversations,
  inboxes,
  jobs,
  messages,
  type InboxRow,
} from '../../src/db/schema';
import {
  login,
  request,
  startTestServer,
  type Api,
  type TestServer,
  waitFor,
} from '../helpers/server';
import { ScriptedProvider, scriptedChannel } from '../helpers/scripted-channel';

const provider = new ScriptedProvider();
let t: TestServer;
let admin: Api;
let sms: InboxRow;
let seq = 0;

const inbound = (phone: string, text: string, extra: Partial<InboundMessage> = {}) =>
  ({
    sender: { kind: 'phone', value: phone },
    providerMessageId: `p-${++seq}`,
    text,
    attachments: [],
    ...extra,
  }) satisfies InboundMessage;

const db = () => t.server.database.db;
const conversationRow = async (id: string) =>
  (await db().select().from(conversations).where(eq(conversations.id, id)))[0]!;
const messageRow = async (id: string) =>
  (await db().select().from(messages).where(eq(messages.id, id)))[0]!;

beforeAll(async () => {
  t = await startTestServer(
    { JOB_LEASE_SECONDS: '1' },
    {
      channels: [
        scriptedChannel('sms', provider, {
          validate: async (key) => {
            if (key === 'rejected-key') throw new Error('401 Unauthorized');
            return { name: 'Provider says: Main line' };
          },
        }),
      ],
    },
  );
  admin = await login(t.url);
  const res = await admin.send<{ id: string }>('POST', '/api/v1/inboxes', {
    name: 'SMS',
    channel: 'sms',
    settings: { apiKey: 'secret-key-1234' },
  });
  sms = (await db().select().from(inboxes).where(eq(inboxes.id, res.body.id)))[0]!;
});
afterAll(async () => t?.stop());

describe('credentials', () => {
  it('are sealed in the database, masked for admins, absent for agents and never audited', async () => {
    expect(sms.credentials).toBeTruthy();
    expect(sms.credentials).not.toContain('secret-key-1234');
    expect(JSON.stringify(sms.settings)).not.toContain('secret-key-1234');

    const asAdmin = await admin.get<{
      settings: Record<string, unknown>;
      credentialsSet: string[];
    }>(`/api/v1/inboxes/${sms.id}`);
    expect(asAdmin.body.settings['apiKey']).toBe('••••••••');
    expect(asAdmin.body.credentialsSet).toEqual(['apiKey']);
    expect(JSON.stringify(asAdmin.body)).not.toContain('secret-key-1234');

    const agent = await admin.send<{ user: { id: string } }>('POST', '/api/v1/users', {
      email: 'creds-agent@example.com',
      name: 'Creds Agent',
      role: 'agent',
      password: 'agent-password-1',
      inboxIds: [sms.id],
    });
    expect(agent.status).toBe(201);
    const asAgent = await login(t.url, 'creds-agent@example.com', 'agent-password-1');
    const list = await asAgent.get<{ items: Record<string, unknown>[] }>('/api/v1/inboxes');
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).not.toHaveProperty('settings');
    expect((await asAgent.get(`/api/v1/inboxes/${sms.id}`)).status).toBe(403);

    const audit = await db().select().from(auditLog).where(eq(auditLog.entityId, sms.id));
    expect(audit.length).toBeGreaterThan(0);
    expect(JSON.stringify(audit)).not.toContain('secret-key-1234');
  });

  it('keep their value when the mask is sent back, and change when a new one is given', async () => {
    const same = await admin.send('PATCH', `/api/v1/inboxes/${sms.id}`, {
      settings: { apiKey: '••••••••', reopenWindowHours: 24 },
    });
    expect(same.status).toBe(200);
    const live = await t.server.host.get(sms.id);
    expect(live).toBeDefined();
    expect(t.server.host.credentialsOf(live!.inbox)).toEqual({ apiKey: 'secret-key-1234' });

    const changed = await admin.send('PATCH', `/api/v1/inboxes/${sms.id}`, {
      settings: { apiKey: 'secret-key-5678', reopenWindowHours: 24 },
    });
    expect(changed.status).toBe(200);
    const rebuilt = await t.server.host.get(sms.id);
    expect(t.server.host.credentialsOf(rebuilt!.inbox)).toEqual({ apiKey: 'secret-key-5678' });
    expect(rebuilt!.inbox.version).toBeGreaterThan(live!.inbox.version);
  });

  it('are refused with the provider’s reason, and nothing is saved', async () => {
    const before = (await db().select().from(inboxes)).length;
    const res = await admin.send<{ error: { code: string; message: string } }>(
      'POST',
      '/api/v1/inboxes',
      { name: 'Bad', channel: 'sms', settings: { apiKey: 'rejected-key' } },
    );
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('credentials_rejected');
    expect(res.body.error.message).toContain('401 Unauthorized');
    expect(res.body.error.message).not.toContain('rejected-key');
    expect((await db().select().from(inboxes)).length).toBe(before);
  });

  it('name the field that is wrong, never its value', async () => {
    const res = await admin.send<{ error: { message: string } }>('POST', '/api/v1/inboxes', {
      name: 'Short',
      channel: 'sms',
      settings: { apiKey: 'short' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/settings\.apiKey/);
    expect(res.body.error.message).not.toContain('short');
  });

  it('give the inbox the provider’s name when none is chosen', async () => {
    const res = await admin.send<{ name: string }>('POST', '/api/v1/inboxes', {
      channel: 'sms',
      settings: { apiKey: 'another-key-0001' },
    });
    expect(res.status).toBe(201);
    expect(res.body.name).toBe('Provider says: Main line');
    // Without credentials to ask the provider with, a name is needed.
    const nameless = await admin.send('POST', '/api/v1/inboxes', { channel: 'webchat' });
    expect(nameless.status).toBe(400);
  });
});

describe('webhooks', () => {
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    request(t.url, 'POST', path, { body, headers });

  it('refuse a request the channel cannot verify, and store nothing', async () => {
    const res = await post(`/webhooks/scripted/${sms.id}/in`, {
      id: 'wh-1',
      from: '+15550000001',
      text: 'forged',
    });
    expect(res.status).toBe(403);
    expect(
      await db().select().from(messages).where(eq(messages.providerMessageId, 'wh-1')),
    ).toEqual([]);
  });

  it('store a verified message once, however often the provider retries', async () => {
    const headers = { 'x-scripted-key': 'secret-key-5678' };
    const body = { id: 'wh-2', from: '+15550000002', text: 'hello over a webhook', chat: 'c-9' };
    for (let i = 0; i < 3; i++)
      expect((await post(`/webhooks/scripted/${sms.id}/in`, body, headers)).status).toBe(200);
    const rows = await db().select().from(messages).where(eq(messages.providerMessageId, 'wh-2'));
    expect(rows).toHaveLength(1);
    // What a reply needs (the chat) is kept on the conversation.
    expect((await conversationRow(rows[0]!.conversationId)).channelRef).toEqual({ chat: 'c-9' });
  });

  it('keep a payload the channel cannot read (no poison), answer 200, and let an admin retry or discard it', async () => {
    const headers = { 'x-scripted-key': 'secret-key-5678' };
    expect((await post(`/webhooks/scripted/${sms.id}/in`, { nope: 1 }, headers)).status).toBe(200);
    const raw = await request(t.url, 'POST', `/webhooks/scripted/${sms.id}/in`, {
      raw: '{not json',
      headers,
    });
    expect(raw.status).toBe(200);
    const failed = await admin.get<{ items: { id: string; error: string; preview: string }[] }>(
      `/api/v1/inboxes/${sms.id}/failed`,
    );
    expect(failed.body.items.map((f) => f.error)).toEqual([
      'the body is not valid JSON',
      'not a scripted message',
    ]);
    expect(failed.body.items[0]!.preview).toBe('{not json');
    const inbox = await admin.get<{ failedIngests: number }>(`/api/v1/inboxes/${sms.id}`);
    expect(inbox.body.failedIngests).toBe(2);

    const [bad, nope] = failed.body.items;
    const retried = await admin.send<{ error: { code: string; message: string } }>(
      'POST',
      `/api/v1/inboxes/${sms.id}/failed/${bad!.id}/retry`,
    );
    expect(retried.status).toBe(409);
    expect(retried.body.error).toMatchObject({ code: 'retry_failed' });
    expect(
      (await admin.send('POST', `/api/v1/inboxes/${sms.id}/failed/${bad!.id}/discard`)).status,
    ).toBe(204);
    expect(
      (await admin.send('POST', `/api/v1/inboxes/${sms.id}/failed/${nope!.id}/discard`)).status,
    ).toBe(204);
    expect(
      (await admin.get<{ items: unknown[] }>(`/api/v1/inboxes/${sms.id}/failed`)).body.items,
    ).toEqual([]);
  });

  it('keep a message the database refuses, store its neighbours, and retry it once fixed', async () => {
    const headers = { 'x-scripted-key': 'secret-key-5678' };
    // An id too long for the unique index (random, so it does not compress): PostgreSQL
    // refuses the row, every time.
    const poison = { id: randomBytes(6000).toString('hex'), from: '+15550000003', text: 'poison' };
    expect((await post(`/webhooks/scripted/${sms.id}/in`, poison, headers)).status).toBe(200);
    const fine = { id: 'after-poison', from: '+15550000003', text: 'the next one' };
    expect((await post(`/webhooks/scripted/${sms.id}/in`, fine, headers)).status).toBe(200);
    expect(
      await db().select().from(messages).where(eq(messages.providerMessageId, 'after-poison')),
    ).toHaveLength(1);
    const failed = await admin.get<{ items: { id: string; error: string; source: string }[] }>(
      `/api/v1/inboxes/${sms.id}/failed`,
    );
    expect(failed.body.items).toHaveLength(1);
    expect(failed.body.items[0]!.source).toBe('webhook');
    const health = await admin.get<{ health: { status: string; lastError: string } }>(
      `/api/v1/inboxes/${sms.id}`,
    );
    expect(health.body.health.lastError).toMatch(/could not be stored/);
    // Nothing retries on its own; an admin's retry fails again with the reason.
    const retry = await admin.send<{ error: { code: string } }>(
      'POST',
      `/api/v1/inboxes/${sms.id}/failed/${failed.body.items[0]!.id}/retry`,
    );
    expect(retry.status).toBe(409);
    await admin.send(
      'POST',
      `/api/v1/inboxes/${sms.id}/failed/${failed.body.items[0]!.id}/discard`,
    );
  });

  it('answer 404 for an unknown inbox', async () => {
    const headers = { 'x-scripted-key': 'secret-key-5678' };
    expect(
      (await post('/webhooks/scripted/00000000-0000-4000-8000-000000000000/in', {}, headers))
        .status,
    ).toBe(404);
  });
});

describe('outbound', () => {
  it('goes to the identity the conversation came from, not the contact’s first of that kind', async () => {
    const first = await t.server.ingest.ingest(sms, inbound('+15550001001', 'from my old phone'));
    // The same customer, known by a second number: link it to the same contact.
    await db().execute(
      sql`insert into contact_identities (contact_id, kind, value) values (${first.contactId}, 'phone', '+15550001002')`,
    );
    await admin.send('PATCH', `/api/v1/conversations/${first.conversation.id}`, {
      status: 'resolved',
    });
    await db()
      .update(conversations)
      .set({ resolvedAt: sql`now() - interval '30 days'` })
      .where(eq(conversations.id, first.conversation.id));
    const second = await t.server.ingest.ingest(sms, inbound('+15550001002', 'from my new phone'));
    expect(second.contactId).toBe(first.contactId);
    expect(second.conversation.id).not.toBe(first.conversation.id);
    const reply = await admin.send<{ id: string }>(
      'POST',
      `/api/v1/conversations/${second.conversation.id}/messages`,
      { text: 'answering your new phone' },
    );
    await waitFor(
      () => messageRow(reply.body.id),
      (m) => m.status === 'sent',
    );
    expect(provider.sent.find((m) => m.messageId === reply.body.id)?.recipient).toEqual({
      kind: 'phone',
      value: '+15550001002',
    });
  });

  it('fails at once, with the reason, when the inbox has no channel', async () => {
    const conv = await t.server.ingest.ingest(sms, inbound('+15550001003', 'hi'));
    await admin.send('PATCH', `/api/v1/inboxes/${sms.id}`, { enabled: false });
    const reply = await admin.send<{ id: string }>(
      'POST',
      `/api/v1/conversations/${conv.conversation.id}/messages`,
      { text: 'nobody will carry this' },
    );
    const row = await waitFor(
      () => messageRow(reply.body.id),
      (m) => m.status === 'failed',
    );
    await admin.send('PATCH', `/api/v1/inboxes/${sms.id}`, { enabled: true });
    expect(row.failureReason).toMatch(/no working channel/);
    const [job] = await db().select().from(jobs).where(eq(jobs.key, reply.body.id));
    expect(job).toMatchObject({ state: 'dead', attempts: 1 });
  });

  it('goes out once when the provider is slower than the job lease (the heartbeat keeps it)', async () => {
    const conv = await t.server.ingest.ingest(sms, inbound('+15550001004', 'hi'));
    provider.delayMs = 2_500; // the lease is 1 s in this file
    const reply = await admin.send<{ id: string }>(
      'POST',
      `/api/v1/conversations/${conv.conversation.id}/messages`,
      { text: 'slow but once' },
    );
    const row = await waitFor(
      () => messageRow(reply.body.id),
      (m) => m.status === 'sent',
      15_000,
    );
    provider.delayMs = 0;
    expect(row.status).toBe('sent');
    await new Promise((r) => setTimeout(r, 1_500));
    expect(provider.sent.filter((m) => m.messageId === reply.body.id)).toHaveLength(1);
  });

  it('is not recorded by a worker whose lease was taken over', async () => {
    const conv = await t.server.ingest.ingest(sms, inbound('+15550001005', 'hi'));
    provider.delayMs = 1_500;
    const reply = await admin.send<{ id: string }>(
      'POST',
      `/api/v1/conversations/${conv.conversation.id}/messages`,
      { text: 'taken over' },
    );
    // While the send is in flight, another worker takes the job (a new lease token).
    const job = await waitFor(
      async () => (await db().select().from(jobs).where(eq(jobs.key, reply.body.id)))[0],
      (j) => j?.leaseToken !== null && j?.leaseToken !== undefined,
    );
    await db()
      .update(jobs)
      .set({ leaseToken: sql`nextval('job_lease_seq')`, runAt: sql`now() + interval '1 hour'` })
      .where(eq(jobs.id, job!.id));
    await waitFor(
      async () => t.server.worker.busy,
      (n) => n === 0,
    );
    provider.delayMs = 0;
    // The first worker's send happened, but its outcome is not recorded: the job and the
    // message stay with the new holder.
    expect((await messageRow(reply.body.id)).status).toBe('queued');
    const [still] = await db().select().from(jobs).where(eq(jobs.id, job!.id));
    expect(still).toMatchObject({ state: 'pending' });
  });
});

describe('snooze', () => {
  it('wakes a snoozed conversation at its time, once, even across a restart', async () => {
    const conv = await t.server.ingest.ingest(sms, inbound('+15550002001', 'later please'));
    const until = new Date(Date.now() + 2_500).toISOString();
    const res = await admin.send<{ status: string }>(
      'PATCH',
      `/api/v1/conversations/${conv.conversation.id}`,
      { snoozedUntil: until },
    );
    expect(res.body.status).toBe('snoozed');
    const [job] = await db().select().from(jobs).where(eq(jobs.key, conv.conversation.id));
    expect(job).toMatchObject({ kind: 'snooze.wake' });

    await t.halt();
    t = await startTestServer(
      { JOB_LEASE_SECONDS: '1' },
      { storage: t.storage, channels: [scriptedChannel('sms', provider)] },
    );
    admin = await login(t.url);
    const row = await waitFor(
      () => conversationRow(conv.conversation.id),
      (c) => c.status === 'open',
    );
    expect(row).toMatchObject({ status: 'open', snoozedUntil: null });
    expect(await db().select().from(jobs).where(eq(jobs.key, conv.conversation.id))).toEqual([]);
  });

  it('does not wake a conversation that was answered and resolved meanwhile', async () => {
    const conv = await t.server.ingest.ingest(sms, inbound('+15550002002', 'later please'));
    await admin.send('PATCH', `/api/v1/conversations/${conv.conversation.id}`, {
      snoozedUntil: new Date(Date.now() + 60_000).toISOString(),
    });
    await admin.send('PATCH', `/api/v1/conversations/${conv.conversation.id}`, {
      status: 'resolved',
    });
    // The wake-up was cancelled with the snooze.
    expect(await db().select().from(jobs).where(eq(jobs.key, conv.conversation.id))).toEqual([]);
  });
});

describe('media', () => {
  it('is fetched into our storage by a job; before that the file answers 409, never a redirect', async () => {
    provider.media.set('photo-1', {
      data: Buffer.from('jpeg bytes from the provider'),
      contentType: 'image/jpeg',
    });
    const result = await t.server.ingest.ingest(
      sms,
      inbound('+15550003001', 'see photo', {
        attachments: [{ fileName: 'photo.jpg', contentType: 'image/jpeg', ref: { id: 'photo-1' } }],
      }),
    );
    const attachment = result.message.attachments[0]!;
    expect(attachment.state).toBe('pending');
    const stored = await waitFor(
      async () =>
        fetch(`${t.url}${attachment.url}`, {
          headers: { authorization: `Bearer ${admin.token}` },
          redirect: 'manual',
        }),
      (r) => r.status === 200,
    );
    expect(stored.status).toBe(200);
    expect(await stored.text()).toBe('jpeg bytes from the provider');
    expect(provider.mediaCalls).toEqual([{ id: 'photo-1' }]);
  });

  it('marks a file the provider cannot give as failed, and one over the limit as too large', async () => {
    const result = await t.server.ingest.ingest(
      sms,
      inbound('+15550003002', 'two files', {
        attachments: [
          { fileName: 'gone.pdf', contentType: 'application/pdf', ref: { id: 'missing' } },
          {
            fileName: 'huge.mov',
            contentType: 'video/quicktime',
            ref: { id: 'huge' },
            size: 100 * 1024 * 1024,
          },
        ],
      }),
    );
    const [gone, huge] = result.message.attachments;
    expect(huge!.state).toBe('too_large');
    // Make the retries of the missing file due at once instead of waiting out the backoff.
    const failed = await waitFor(
      async () => {
        await db()
          .update(jobs)
          .set({ runAt: new Date() })
          .where(
            sql`${jobs.kind} = 'media.fetch' and ${jobs.key} = ${gone!.id} and ${jobs.leaseToken} is null`,
          );
        t.server.worker.kick();
        return request(t.url, 'GET', gone!.url, { token: admin.token });
      },
      (r) => r.status === 410,
      20_000,
    );
    expect(failed.status).toBe(410);
    expect(JSON.stringify(failed.body)).toContain('no such file at the provider');
    expect((await request(t.url, 'GET', huge!.url, { token: admin.token })).status).toBe(410);
  });
});

describe('complaints', () => {
  it('are the one source of the ladder: escalating writes a complaint and the conversation follows', async () => {
    const conv = await t.server.ingest.ingest(sms, inbound('+15550004001', 'this is unacceptable'));
    const res = await admin.send<{ level: number }>(
      'POST',
      `/api/v1/conversations/${conv.conversation.id}/escalate`,
      { reason: 'angry customer' },
    );
    expect(res.body.level).toBe(2);
    const [complaint] = await db()
      .select()
      .from(complaints)
      .where(eq(complaints.conversationId, conv.conversation.id));
    expect(complaint).toMatchObject({ level: 2, status: 'open' });
    // Whatever moves the complaint, the conversation's level follows in the same transaction.
    await db().update(complaints).set({ level: 4 }).where(eq(complaints.id, complaint!.id));
    expect((await conversationRow(conv.conversation.id)).level).toBe(4);
  });
});

describe('the ingest rule', () => {
  const cases = [
    ['an open conversation takes the message', 'open', null, 'same'],
    ['a snoozed one wakes and takes it', 'snoozed', null, 'same'],
    ['a pending one (waiting on the customer) opens again', 'pending', null, 'same'],
    ['a bot one stays with the bot', 'bot', null, 'same'],
    ['resolved an hour ago: reopened', 'resolved', 1, 'same'],
    ['resolved just inside the 7-day window: reopened', 'resolved', 167.9, 'same'],
    ['resolved past the window: a new conversation', 'resolved', 168.1, 'new'],
  ] as const;

  it.each(cases)('%s', async (_name, status, hoursAgo, expected) => {
    const phone = `+1555000${String(5000 + ++seq)}`;
    const first = await t.server.ingest.ingest(sms, inbound(phone, 'first'));
    await db()
      .update(conversations)
      .set({
        status,
        resolvedAt:
          hoursAgo === null ? null : sql`now() - make_interval(secs => ${hoursAgo * 3600})`,
      })
      .where(eq(conversations.id, first.conversation.id));
    const next = await t.server.ingest.ingest(sms, inbound(phone, 'again'));
    if (expected === 'same') {
      expect(next.conversation.id).toBe(first.conversation.id);
      expect(next.conversation.status).toBe(status === 'bot' ? 'bot' : 'open');
    } else {
      expect(next.conversation.id).not.toBe(first.conversation.id);
      expect((await conversationRow(first.conversation.id)).status).toBe('resolved');
    }
  });
});
