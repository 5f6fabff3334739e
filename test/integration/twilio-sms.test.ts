import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { messages } from '../../src/db/schema';
import { twilioFixture } from '../helpers/fakes/fixtures';
import { newSid, sendStatusCallback } from '../helpers/fakes/twilio';
import { connect, request, type Recorder } from '../helpers/server';
import {
  ACCOUNT,
  NUMBER,
  TOKEN,
  startTwilioTest,
  waitFor,
  type TwilioTest,
} from '../helpers/twilio-server';

let tw: TwilioTest;
let agentSocket: Recorder;

interface Msg {
  id: string;
  text: string;
  status: string;
  senderType: string;
  failureReason: string | null;
  attachments: { id: string; url: string; state: string; error: string | null; size: number }[];
}

/** A fixture from another customer, with a fresh MessageSid. */
function sms(
  from: string,
  body: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  const sid = newSid('SM');
  return {
    ...twilioFixture('sms-inbound-en'),
    MessageSid: sid,
    SmsSid: sid,
    SmsMessageSid: sid,
    From: from,
    Body: body,
    ...extra,
  };
}

async function conversationOf(phone: string): Promise<string> {
  const list = await tw.admin.get<{
    items: { id: string; contact: { name: string }; channel: string }[];
  }>(`/api/v1/conversations?q=${encodeURIComponent(phone)}&channel=sms`);
  const found = list.body.items.find((c) => c.contact.name === phone);
  if (!found) throw new Error(`no SMS conversation for ${phone}`);
  return found.id;
}

const thread = async (conversationId: string) =>
  (await tw.admin.get<{ items: Msg[] }>(`/api/v1/conversations/${conversationId}/messages`)).body
    .items;

async function reply(conversationId: string, text: string, attachmentIds?: string[]) {
  const res = await tw.admin.send<Msg>('POST', `/api/v1/conversations/${conversationId}/messages`, {
    text,
    ...(attachmentIds ? { attachmentIds } : {}),
  });
  expect(res.status).toBe(201);
  return res.body;
}

async function messageSettles(id: string, statuses: string[]) {
  return waitFor(
    async () =>
      (await tw.t.server.database.db.select().from(messages).where(eq(messages.id, id)))[0]!,
    (m) => statuses.includes(m.status),
  );
}

beforeAll(async () => {
  tw = await startTwilioTest();
  agentSocket = await connect(tw.t.url, '/agent', { token: tw.admin.token });
});
afterAll(async () => {
  agentSocket?.socket.disconnect();
  await tw?.stop();
});

describe('SMS and Phone inboxes from TWILIO_* variables', () => {
  it('creates one inbox per kind for the number, with the webhook URLs to paste', async () => {
    const list = await tw.admin.get<{
      items: {
        id: string;
        channel: string;
        name: string;
        routingKey: string;
        webhookUrls: string[];
      }[];
    }>('/api/v1/inboxes');
    const sms = list.body.items.find((i) => i.channel === 'sms')!;
    expect(sms).toMatchObject({ name: `SMS ${NUMBER}`, routingKey: NUMBER });
    // PUBLIC_URL is the server's own address in these tests.
    expect(sms.webhookUrls).toEqual([
      `${tw.t.url}/webhooks/twilio/${sms.id}/sms`,
      `${tw.t.url}/webhooks/twilio/${sms.id}/status`,
    ]);
  });
});

describe('a number added over the API', () => {
  it('is checked with Twilio before it is saved: the token, then that the number is the account’s', async () => {
    const base = { channel: 'sms', name: 'Second line' };
    const wrongToken = await tw.admin.send<{ error: { code: string; message: string } }>(
      'POST',
      '/api/v1/inboxes',
      {
        ...base,
        settings: { accountSid: ACCOUNT, authToken: 'f'.repeat(32), phoneNumber: NUMBER },
      },
    );
    expect(wrongToken.status).toBe(400);
    expect(wrongToken.body.error).toMatchObject({ code: 'credentials_rejected' });
    expect(wrongToken.body.error.message).toContain('20003');
    const notOurs = await tw.admin.send<{ error: { message: string } }>('POST', '/api/v1/inboxes', {
      ...base,
      settings: { accountSid: ACCOUNT, authToken: TOKEN, phoneNumber: '+15555550199' },
    });
    expect(notOurs.status).toBe(400);
    expect(notOurs.body.error.message).toContain(
      '+15555550199 is not a phone number of this Twilio account',
    );
    tw.fake.addNumber(ACCOUNT, { phoneNumber: '+15555550199' });
    const saved = await tw.admin.send<{
      id: string;
      routingKey: string;
      settings: Record<string, unknown>;
    }>('POST', '/api/v1/inboxes', {
      ...base,
      settings: { accountSid: ACCOUNT, authToken: TOKEN, phoneNumber: '+1 555 555 0199' },
    });
    expect(saved.status).toBe(201);
    expect(saved.body.routingKey).toBe('+15555550199');
    expect(saved.body.settings['authToken']).toBe('••••••••');
  });
});

describe('signed webhooks', () => {
  it('stores a signed SMS once and answers empty TwiML', async () => {
    const params = twilioFixture('sms-inbound-en');
    const res = await tw.post('/webhooks/twilio/sms', params);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/xml');
    expect(await res.text()).toMatch(/<Response\/>$/);
    const again = await tw.post('/webhooks/twilio/sms', params);
    expect(again.status).toBe(200);
    // The same SMS on the per-inbox URL too: still one message.
    expect((await tw.post(`/webhooks/twilio/${tw.smsInboxId}/sms`, params)).status).toBe(200);
    const items = await thread(await conversationOf('+15555550123'));
    expect(items.filter((m) => m.text === params['Body'])).toHaveLength(1);
  });

  it.each([
    ['a wrong signature', { tamper: 'signature' as const }],
    ['a changed parameter', { tamper: 'body' as const }],
    [
      'a signature for another URL',
      { signatureUrl: 'https://elsewhere.example.com/webhooks/twilio/sms' },
    ],
  ])('refuses %s with 403 and stores nothing', async (_name, opts) => {
    const params = sms('+15555550901', 'forged');
    const res = await tw.post('/webhooks/twilio/sms', params, opts);
    expect(res.status).toBe(403);
    const stored = await tw.t.server.database.db
      .select()
      .from(messages)
      .where(eq(messages.providerMessageId, params['MessageSid']!));
    expect(stored).toEqual([]);
  });

  it('refuses a request without X-Twilio-Signature, and one signed with another token', async () => {
    const params = sms('+15555550902', 'unsigned');
    const unsigned = await fetch(`${tw.t.url}/webhooks/twilio/sms`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params).toString(),
    });
    expect(unsigned.status).toBe(403);
    const { postTwilioWebhook } = await import('../helpers/fakes/twilio');
    const path = '/webhooks/twilio/sms';
    const otherToken = await postTwilioWebhook(`${tw.t.url}${path}`, params, 'f'.repeat(32), {
      signatureUrl: `${tw.t.url}${path}`,
    });
    expect(otherToken.status).toBe(403);
    expect(
      await tw.t.server.database.db
        .select()
        .from(messages)
        .where(eq(messages.providerMessageId, params['MessageSid']!)),
    ).toEqual([]);
  });

  it('keeps a signed webhook it cannot read (no From) for an admin, stores no message, keeps serving', async () => {
    const { From: _from, ...params } = sms('+15555550903', 'who am I');
    const res = await tw.post('/webhooks/twilio/sms', params);
    // Twilio would send it again and again: the platform keeps it as a failed ingest and says 200.
    expect(res.status).toBe(200);
    const stored = await tw.t.server.database.db
      .select()
      .from(messages)
      .where(eq(messages.providerMessageId, params['MessageSid']!));
    expect(stored).toEqual([]);
    expect((await fetch(`${tw.t.url}/healthz`)).status).toBe(200);
  });

  it('puts a Persian SMS into a contact whose language is Persian', async () => {
    await tw.post('/webhooks/twilio/sms', twilioFixture('sms-inbound-fa'));
    const id = await conversationOf('+989121234567');
    const conv = await tw.admin.get<{ contact: { language: string; identities: unknown[] } }>(
      `/api/v1/conversations/${id}`,
    );
    expect(conv.body.contact.language).toBe('fa');
    expect(conv.body.contact.identities).toContainEqual(
      expect.objectContaining({ kind: 'phone', value: '+989121234567', state: 'ok' }),
    );
  });
});

describe('MMS media', () => {
  it('fetches each file from Twilio with the account’s credentials, and none to the CDN', async () => {
    const params = twilioFixture('mms-inbound-two-media');
    const sid = params['MessageSid']!;
    const jpeg = Buffer.from('fake-jpeg-bytes');
    const png = Buffer.from('fake-png-bytes!!');
    tw.fake.addMedia(ACCOUNT, {
      messageSid: sid,
      mediaSid: 'MEda4e34aace46b30298c281e6329dffb0',
      contentType: 'image/jpeg',
      bytes: jpeg,
    });
    tw.fake.addMedia(ACCOUNT, {
      messageSid: sid,
      mediaSid: 'MEcb5da8167925ca3ce6a320d6faabc9f7',
      contentType: 'image/png',
      bytes: png,
    });
    expect((await tw.post('/webhooks/twilio/sms', params)).status).toBe(200);
    const id = await conversationOf('+15555550123');
    const items = await waitFor(
      () => thread(id),
      (list) =>
        list
          .find((m) => m.text === params['Body'])
          ?.attachments.every((a) => a.state === 'stored') ?? false,
    );
    const files = items.find((m) => m.text === params['Body'])!.attachments;
    expect(files.map((f) => f.state)).toEqual(['stored', 'stored']);
    const bodies = await Promise.all(
      files.map(async (f) =>
        Buffer.from(
          await (
            await fetch(`${tw.t.url}${f.url}`, {
              headers: { authorization: `Bearer ${tw.admin.token}` },
            })
          ).arrayBuffer(),
        ).toString(),
      ),
    );
    expect(bodies.sort()).toEqual([jpeg.toString(), png.toString()].sort());
    const apiCalls = tw.fake.calls.filter((c) => c.path.includes('/Media/'));
    expect(apiCalls.length).toBeGreaterThanOrEqual(2);
    expect(apiCalls.every((c) => c.auth.valid)).toBe(true);
    expect(tw.fake.cdnRequests.length).toBeGreaterThanOrEqual(2);
    expect(tw.fake.cdnRequests.every((r) => r.authorization === undefined)).toBe(true);
  });

  it('keeps the message but not a file on any other host, with the reason', async () => {
    const before = tw.fake.calls.length;
    const params = sms('+15555550904', 'see attached', {
      NumMedia: '1',
      MediaUrl0: 'https://attacker.invalid/latest/meta-data/iam',
      MediaContentType0: 'image/jpeg',
    });
    expect((await tw.post('/webhooks/twilio/sms', params)).status).toBe(200);
    const items = await thread(await conversationOf('+15555550904'));
    expect(items[0]).toMatchObject({ text: 'see attached' });
    expect(items[0]!.attachments[0]).toMatchObject({
      state: 'failed',
      error: expect.stringContaining('attacker.invalid'),
    });
    expect(tw.fake.calls.length).toBe(before);
  });
});

describe('opt-out', () => {
  it('STOP is stored, marks the number opted out, and a reply then fails at once with the reason', async () => {
    await tw.post('/webhooks/twilio/sms', sms('+15555550905', 'hello'));
    const id = await conversationOf('+15555550905');
    await tw.post('/webhooks/twilio/sms', sms('+15555550905', 'Stop'));
    const conv = await tw.admin.get<{ contact: { identities: { state: string }[] } }>(
      `/api/v1/conversations/${id}`,
    );
    expect(conv.body.contact.identities[0]!.state).toBe('opted_out');
    expect((await thread(id)).map((m) => m.text)).toContain('Stop');

    const sentBefore = tw.fake.messages.length;
    const out = await reply(id, 'Are you still there?');
    const row = await messageSettles(out.id, ['failed', 'sent']);
    expect(row.status).toBe('failed');
    expect(row.failureReason).toMatch(/replied "Stop".*until they reply START/);
    expect(tw.fake.messages.length).toBe(sentBefore);
  });

  it('START (Twilio’s OptOutType) opts back in and replies go out again', async () => {
    await tw.post('/webhooks/twilio/sms', sms('+15555550906', 'STOPALL'));
    const id = await conversationOf('+15555550906');
    await tw.post(
      '/webhooks/twilio/sms',
      sms('+15555550906', 'start', {
        OptOutType: 'START',
        MessagingServiceSid: 'MG5f4e3d2c1b0a99887766554433221100',
      }),
    );
    const out = await reply(id, 'Welcome back');
    expect((await messageSettles(out.id, ['failed', 'sent'])).status).toBe('sent');
  });

  it('error 21610 from Twilio fails the reply and marks the number opted out', async () => {
    await tw.post('/webhooks/twilio/sms', sms('+15555550907', 'hi'));
    const id = await conversationOf('+15555550907');
    tw.fake.optOut(ACCOUNT, '+15555550907');
    const out = await reply(id, 'Can we help?');
    const row = await messageSettles(out.id, ['failed', 'sent']);
    expect(row).toMatchObject({ status: 'failed' });
    expect(row.failureReason).toContain('21610');
    const conv = await tw.admin.get<{ contact: { identities: { state: string }[] } }>(
      `/api/v1/conversations/${id}`,
    );
    expect(conv.body.contact.identities[0]!.state).toBe('opted_out');
  });
});

describe('delivery status', () => {
  it('sends through the Messages API with a StatusCallback and moves queued → sent → delivered, live', async () => {
    await tw.post('/webhooks/twilio/sms', sms('+15555550908', 'where is my order'));
    const id = await conversationOf('+15555550908');
    const out = await reply(id, 'It ships today.');
    const sent = await messageSettles(out.id, ['sent', 'failed']);
    expect(sent.status).toBe('sent');
    const created = tw.fake.messages.find((m) => m.sid === sent.providerMessageId)!;
    expect(created).toMatchObject({ to: '+15555550908', from: NUMBER, body: 'It ships today.' });
    const call = tw.fake.calls.find((c) => c.params['Body'] === 'It ships today.')!;
    expect(call.params['StatusCallback']).toBe(
      `${new URL(call.params['StatusCallback']!).origin}/webhooks/twilio/${tw.smsInboxId}/status`,
    );
    const delivered = agentSocket.wait<{ message: { id: string; status: string } }>(
      'message.updated',
      (p) => p.message.id === out.id && p.message.status === 'delivered',
    );
    expect((await tw.fake.deliverStatus(sent.providerMessageId!, 'delivered'))?.status).toBe(200);
    await delivered;
    // A late "sent" (callbacks arrive out of order) never moves it back.
    expect((await tw.fake.deliverStatus(sent.providerMessageId!, 'sent'))?.status).toBe(200);
    expect((await messageSettles(out.id, ['delivered'])).status).toBe('delivered');
  });

  it('records undelivered with Twilio’s code and its meaning', async () => {
    await tw.post('/webhooks/twilio/sms', sms('+15555550909', 'ping'));
    const id = await conversationOf('+15555550909');
    const out = await reply(id, 'pong');
    const sent = await messageSettles(out.id, ['sent']);
    await tw.fake.deliverStatus(sent.providerMessageId!, 'undelivered', { errorCode: 30003 });
    const failed = await messageSettles(out.id, ['failed']);
    expect(failed.failureReason).toMatch(/30003.*unreachable destination handset/);
    // "delivered" before "sent" arriving after: still failed → delivered is forward, sent is not.
    await tw.fake.deliverStatus(sent.providerMessageId!, 'sent');
    expect((await messageSettles(out.id, ['failed'])).status).toBe('failed');
  });

  it('ignores a status callback for an unknown MessageSid with 200', async () => {
    const path = `/webhooks/twilio/${tw.smsInboxId}/status`;
    const res = await sendStatusCallback(
      `${tw.t.url}${path}`,
      { MessageSid: newSid('SM'), MessageStatus: 'delivered' },
      TOKEN,
      { signatureUrl: `${tw.t.url}${path}` },
    );
    expect(res.status).toBe(200);
  });

  it('sends an agent’s attachment as MMS through a signed public link', async () => {
    await tw.post('/webhooks/twilio/sms', sms('+15555550910', 'send me the invoice'));
    const id = await conversationOf('+15555550910');
    const upload = await request<{ id: string }>(
      tw.t.url,
      'POST',
      '/api/v1/attachments?fileName=invoice.pdf',
      {
        token: tw.admin.token,
        raw: '%PDF-1.4 fake invoice',
        headers: { 'content-type': 'application/pdf' },
      },
    );
    expect(upload.status).toBe(201);
    const out = await reply(id, 'Here it is', [upload.body.id]);
    const sent = await messageSettles(out.id, ['sent', 'failed']);
    expect(sent.status).toBe('sent');
    const call = tw.fake.calls.find((c) => c.params['Body'] === 'Here it is')!;
    const link = new URL(call.multi['MediaUrl']![0]!);
    expect(link.pathname).toBe(`/media/${upload.body.id}`);
    const file = await fetch(`${tw.t.url}${link.pathname}${link.search}`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toContain('attachment');
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await file.text()).toBe('%PDF-1.4 fake invoice');
    const forged = new URLSearchParams(link.search);
    forged.set('exp', String(Number(forged.get('exp')) + 1));
    expect((await fetch(`${tw.t.url}${link.pathname}?${forged}`)).status).toBe(403);
    expect((await fetch(`${tw.t.url}${link.pathname}`)).status).toBe(400);
  });
});
