import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { businessHours, inboxes, messages } from '../../src/db/schema';
import { twilioFixture } from '../helpers/fakes/fixtures';
import { newSid } from '../helpers/fakes/twilio';
import { createAgent } from '../helpers/server';
import { findAll, outline, parseTwiml, queryOf } from '../helpers/twiml';
import {
  ACCOUNT,
  NUMBER,
  startTwilioTest,
  waitFor,
  type TwilioTest,
} from '../helpers/twilio-server';

let tw: TwilioTest;

interface Msg {
  id: string;
  text: string;
  senderType: string;
  private: boolean;
  direction: string;
  status: string;
  editedAt: string | null;
  attachments: { url: string; state: string; contentType: string }[];
}

/** A caller of their own, so each test reads its own conversation. */
function caller(n: number): string {
  return `+7916000${String(n).padStart(4, '0')}`;
}

function call(from: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...twilioFixture('voice-incoming-call'),
    CallSid: newSid('CA'),
    From: from,
    Caller: from,
    ...extra,
  };
}

/** Follows an action URL from TwiML as Twilio would: POST to it, signed, with the call's fields. */
async function follow(url: string | undefined, params: Record<string, string>) {
  const target = new URL(url!);
  const res = await tw.post(`${target.pathname}${target.search}`, params);
  expect(res.status).toBe(200);
  return parseTwiml(await res.text());
}

async function voiceConversation(phone: string): Promise<{ id: string; labels: string[] }> {
  const list = await tw.admin.get<{
    items: { id: string; labels: string[]; contact: { name: string } }[];
  }>(`/api/v1/conversations?channel=voice&q=${encodeURIComponent(phone)}`);
  const found = list.body.items.find((c) => c.contact.name === phone);
  if (!found) throw new Error(`no phone conversation for ${phone}`);
  return found;
}

const thread = async (id: string) =>
  (await tw.admin.get<{ items: Msg[] }>(`/api/v1/conversations/${id}/messages`)).body.items;

beforeAll(async () => {
  tw = await startTwilioTest();
});
afterAll(async () => tw?.stop());

describe('the Phone inbox', () => {
  it('is made from the same TWILIO_* variables, with its own webhook URLs', async () => {
    const inbox = await tw.admin.get<{ name: string; routingKey: string; webhookUrls: string[] }>(
      `/api/v1/inboxes/${tw.voiceInboxId}`,
    );
    expect(inbox.body).toMatchObject({
      name: `Phone ${NUMBER}`,
      routingKey: NUMBER,
      webhookUrls: [
        `${tw.t.url}/webhooks/twilio/${tw.voiceInboxId}/voice`,
        `${tw.t.url}/webhooks/twilio/${tw.voiceInboxId}/voice-status`,
      ],
    });
  });

  it('refuses unsigned and wrongly signed calls with 403 and stores nothing', async () => {
    const params = call(caller(1));
    for (const opts of [
      { tamper: 'signature' as const },
      { tamper: 'body' as const },
      { signatureUrl: 'https://x.invalid/webhooks/twilio/voice' },
    ]) {
      expect((await tw.post('/webhooks/twilio/voice', params, opts)).status).toBe(403);
    }
    const unsigned = await fetch(`${tw.t.url}/webhooks/twilio/voice`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params).toString(),
    });
    expect(unsigned.status).toBe(403);
    const stored = await tw.t.server.database.db
      .select()
      .from(messages)
      .where(eq(messages.providerMessageId, `call:${params['CallSid']}:start`));
    expect(stored).toEqual([]);
  });

  it('answers bad input without falling over', async () => {
    const { CallSid: _sid, ...noSid } = call(caller(2));
    // Kept as a failed ingest for an admin; Twilio is told 200 so it does not retry forever.
    const kept = await tw.post('/webhooks/twilio/voice', noSid);
    expect(kept.status).toBe(200);
    expect(outline(parseTwiml(await kept.text()))).toEqual([]);
    const odd = {
      ...twilioFixture('voice-status-completed'),
      CallSid: newSid('CA'),
      CallStatus: 'teleported',
    };
    expect((await tw.post('/webhooks/twilio/voice-status', odd)).status).toBe(200);
    expect((await fetch(`${tw.t.url}/healthz`)).status).toBe(200);
  });
});

describe('a call, step by step', () => {
  it('puts the texter and the caller in one profile, and greets them in the language they wrote', async () => {
    const phone = caller(3);
    const sid = newSid('SM');
    await tw.post('/webhooks/twilio/sms', {
      ...twilioFixture('sms-inbound-en'),
      MessageSid: sid,
      From: phone,
      Body: 'Здравствуйте, где мой заказ?',
    });
    const params = call(phone);
    const res = await tw.post('/webhooks/twilio/voice', params);
    expect(res.headers.get('content-type')).toContain('text/xml');
    const xml = parseTwiml(await res.text());
    const gather = findAll(xml, 'Gather')[0]!;
    expect(queryOf(gather.attrs['action'])).toMatchObject({ step: 'menu', lang: 'ru' });
    expect(findAll(xml, 'Say')[0]!.attrs['voice']).toBe('Polly.Tatyana');

    const conv = await voiceConversation(phone);
    const detail = await tw.admin.get<{ contact: { id: string } }>(
      `/api/v1/conversations/${conv.id}`,
    );
    const sms = await tw.admin.get<{ items: { channel: string; contact: { id: string } }[] }>(
      `/api/v1/contacts/${detail.body.contact.id}/conversations`,
    );
    expect(sms.body.items.map((c) => c.channel).sort()).toEqual(['sms', 'voice']);
    expect((await thread(conv.id)).map((m) => [m.senderType, m.text])).toEqual([
      ['system', `Incoming call from ${phone}`],
    ]);
  });

  it('leaves an English voicemail: recording fetched from Twilio, transcript filled in later', async () => {
    const phone = caller(4);
    const params = call(phone);
    const menu1 = await tw
      .post('/webhooks/twilio/voice', params)
      .then(async (r) => parseTwiml(await r.text()));
    // The language menu (the profile knows none), then English.
    const menu2 = await follow(findAll(menu1, 'Gather')[0]!.attrs['action'], {
      ...params,
      Digits: '1',
    });
    const record = await follow(findAll(menu2, 'Gather')[0]!.attrs['action'], {
      ...params,
      Digits: '1',
    });
    const verb = findAll(record, 'Record')[0]!;
    expect(verb.attrs['transcribe']).toBe('true');

    const recording = tw.fake.addRecording(ACCOUNT, {
      callSid: params['CallSid'],
      wav: Buffer.from('RIFF-wav'),
      mp3: Buffer.from('ID3-mp3-bytes'),
      durationSeconds: 14,
    });
    const recorded = {
      ...twilioFixture('voice-recording-completed'),
      CallSid: params['CallSid']!,
      RecordingSid: recording.recordingSid,
      // Twilio's absolute URL, as in a real callback: the channel moves it to TWILIO_API_BASE.
      RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT}/Recordings/${recording.recordingSid}`,
    };
    const thanks = await follow(verb.attrs['action'], recorded);
    expect(outline(thanks)).toEqual(['Say', 'Hangup']);
    await follow(verb.attrs['recordingStatusCallback'], recorded);

    const conv = await voiceConversation(phone);
    const voicemail = await waitFor(
      async () => (await thread(conv.id)).find((m) => m.senderType === 'contact'),
      (m) => m?.attachments[0]?.state === 'stored',
    );
    expect(voicemail).toMatchObject({
      text: '',
      attachments: [{ contentType: 'audio/mpeg', state: 'stored' }],
    });
    const audio = await fetch(`${tw.t.url}${voicemail!.attachments[0]!.url}`, {
      headers: { authorization: `Bearer ${tw.admin.token}` },
    });
    expect(await audio.text()).toBe('ID3-mp3-bytes');

    await follow(verb.attrs['transcribeCallback'], {
      ...twilioFixture('voice-transcription-completed'),
      CallSid: params['CallSid']!,
      From: phone,
      RecordingSid: recording.recordingSid,
    });
    const after = (await thread(conv.id)).find((m) => m.id === voicemail!.id)!;
    expect(after.text).toBe(
      'Hello, I am calling about order 4512. It has not arrived. Please call me back.',
    );
    expect(after.editedAt).not.toBeNull();

    // The call ends: duration and outcome in the thread.
    await tw.post('/webhooks/twilio/voice-status', {
      ...twilioFixture('voice-status-completed'),
      CallSid: params['CallSid']!,
      From: phone,
    });
    const texts = (await thread(conv.id))
      .filter((m) => m.senderType === 'system')
      .map((m) => m.text);
    expect(texts).toEqual([
      `Incoming call from ${phone}`,
      'Caller chose English',
      'Caller chose 1: leave a message',
      'Voicemail left (0:14)',
      'Call ended after 2:28: voicemail',
    ]);
  });

  it('stores a Russian voicemail with the note that no transcript exists', async () => {
    const phone = caller(5);
    const params = call(phone);
    const recording = tw.fake.addRecording(ACCOUNT, {
      wav: Buffer.from('w'),
      mp3: Buffer.from('m'),
    });
    const path = `/webhooks/twilio/${tw.voiceInboxId}/voice?step=recording&lang=ru&caller=${encodeURIComponent(phone)}`;
    const res = await tw.post(path, {
      ...twilioFixture('voice-recording-completed'),
      CallSid: params['CallSid']!,
      RecordingSid: recording.recordingSid,
      RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT}/Recordings/${recording.recordingSid}`,
    });
    expect(res.status).toBe(200);
    const conv = await voiceConversation(phone);
    const [message] = await thread(conv.id);
    expect(message!.text).toMatch(/без расшифровки/);
  });

  it('records a callback request: labelled conversation, then the agent’s call back clears it', async () => {
    const phone = caller(6);
    const params = call(phone);
    await tw.post('/webhooks/twilio/voice', params);
    const base = `/webhooks/twilio/${tw.voiceInboxId}/voice`;
    const res = await tw.post(
      `${base}?step=menu&lang=en&attempt=1&caller=${encodeURIComponent(phone)}`,
      {
        ...params,
        Digits: '2',
      },
    );
    expect(outline(parseTwiml(await res.text()))).toEqual(['Say', 'Hangup']);
    const conv = await voiceConversation(phone);
    expect(conv.labels).toContain('callback_requested');

    const busy = await tw.admin.send<{ message: Msg; conversation: { labels: string[] } }>(
      'POST',
      `/api/v1/conversations/${conv.id}/callback`,
      { outcome: 'busy' },
    );
    expect(busy.status).toBe(200);
    expect(busy.body.conversation.labels).toContain('callback_requested');
    const reached = await tw.admin.send<{ message: Msg; conversation: { labels: string[] } }>(
      'POST',
      `/api/v1/conversations/${conv.id}/callback`,
      { outcome: 'reached', note: 'Order resent' },
    );
    expect(reached.body.conversation.labels).not.toContain('callback_requested');
    expect(reached.body.message).toMatchObject({
      senderType: 'system',
      private: true,
      text: 'Called back by Admin: reached the customer — Order resent',
    });
    expect(
      (
        await tw.admin.send('POST', `/api/v1/conversations/${conv.id}/callback`, {
          outcome: 'maybe',
        })
      ).status,
    ).toBe(400);
    // Nothing of it went to the customer.
    expect(tw.fake.messages.filter((m) => m.to === phone)).toEqual([]);
  });
});

describe('speaking to someone', () => {
  it('rings the agents on duty in business hours and records who answered', async () => {
    const agent = await createAgent(tw.t.url, tw.admin, 'Alice', [tw.voiceInboxId]);
    const patched = await tw.admin.send<{ phone: string; onDuty: boolean }>(
      'PATCH',
      `/api/v1/users/${agent.id}`,
      {
        phone: '+1 (555) 555-0201',
        onDuty: true,
      },
    );
    expect(patched.body).toMatchObject({ phone: '+15555550201', onDuty: true });
    const offDuty = await createAgent(tw.t.url, tw.admin, 'Oscar', [tw.voiceInboxId]);
    await tw.admin.send('PATCH', `/api/v1/users/${offDuty.id}`, {
      phone: '+15555550202',
      onDuty: false,
    });

    const phone = caller(7);
    const params = call(phone);
    await tw.post('/webhooks/twilio/voice', params);
    const base = `/webhooks/twilio/${tw.voiceInboxId}/voice`;
    const res = await tw.post(
      `${base}?step=menu&lang=en&attempt=1&caller=${encodeURIComponent(phone)}`,
      {
        ...params,
        SpeechResult: 'I need to talk to an agent',
      },
    );
    const xml = parseTwiml(await res.text());
    const numbers = findAll(xml, 'Number');
    expect(numbers.map((n) => n.text)).toEqual(['+15555550201']);

    const answered = await follow(numbers[0]!.attrs['url'], {
      ...params,
      CallSid: newSid('CA'),
      ParentCallSid: params['CallSid']!,
      From: phone,
      To: '+15555550201',
    });
    expect(outline(answered)).toEqual(['Say']);
    await follow(findAll(xml, 'Dial')[0]!.attrs['action'], {
      ...twilioFixture('voice-dial-completed'),
      CallSid: params['CallSid']!,
      From: phone,
    });
    await tw.post('/webhooks/twilio/voice-status', {
      ...twilioFixture('voice-status-completed'),
      CallSid: params['CallSid']!,
      From: phone,
    });
    const texts = (await thread((await voiceConversation(phone)).id)).map((m) => m.text);
    expect(texts).toEqual([
      `Incoming call from ${phone}`,
      'Caller chose 0: speak to someone',
      'Ringing Alice',
      'Answered by Alice',
      'Talked with an agent for 1:35',
      'Call ended after 2:28: answered by Alice',
    ]);
  });

  it('outside business hours says when it opens and offers voicemail', async () => {
    const db = tw.t.server.database.db;
    // Open three days from today (in Tehran) only: closed now, whenever the test runs.
    const day = DateTime.now().setZone('Asia/Tehran').plus({ days: 3 });
    const [hours] = await db
      .insert(businessHours)
      .values({
        name: 'Later',
        timezone: 'Asia/Tehran',
        weekly: [{ day: day.weekday % 7, open: '09:00', close: '17:00' }],
        holidays: [],
      })
      .returning();
    await db
      .update(inboxes)
      .set({ businessHoursId: hours!.id })
      .where(eq(inboxes.id, tw.voiceInboxId));
    try {
      const phone = caller(8);
      const params = call(phone);
      await tw.post('/webhooks/twilio/voice', params);
      const res = await tw.post(
        `/webhooks/twilio/${tw.voiceInboxId}/voice?step=menu&lang=en&attempt=1&caller=${encodeURIComponent(phone)}`,
        { ...params, Digits: '0' },
      );
      const xml = parseTwiml(await res.text());
      expect(outline(xml)).toEqual(['Say', 'Say', 'Record']);
      expect(findAll(xml, 'Say')[0]!.text).toMatch(
        new RegExp(
          `^We are closed now\\. We open again ${day.setLocale('en-US').toFormat('cccc')} 9:00`,
        ),
      );
    } finally {
      await db
        .update(inboxes)
        .set({ businessHoursId: null })
        .where(eq(inboxes.id, tw.voiceInboxId));
    }
  });
});

describe('missed calls', () => {
  it('texts the caller back after an abandoned call in business hours, when the inbox asks', async () => {
    const saved = await tw.admin.send('PATCH', `/api/v1/inboxes/${tw.voiceInboxId}`, {
      settings: { missedCallSms: true },
    });
    expect(saved.status).toBe(200);
    const phone = caller(9);
    const params = call(phone);
    await tw.post('/webhooks/twilio/voice', params);
    await tw.post('/webhooks/twilio/voice-status', {
      ...twilioFixture('voice-status-completed'),
      CallSid: params['CallSid']!,
      From: phone,
      CallDuration: '7',
    });
    const conv = await voiceConversation(phone);
    const sms = await waitFor(
      async () => (await thread(conv.id)).find((m) => m.direction === 'out'),
      (m) => m?.status === 'sent',
    );
    expect(sms).toMatchObject({ senderType: 'system', status: 'sent' });
    expect(tw.fake.messages.find((m) => m.to === phone)).toMatchObject({
      from: NUMBER,
      body: expect.stringContaining('Sorry we missed your call'),
    });
    expect((await thread(conv.id)).map((m) => m.text)).toContain(
      'Call ended after 0:07: abandoned in the menu',
    );
  });

  it('does not text a caller who opted out', async () => {
    const phone = caller(10);
    await tw.post('/webhooks/twilio/sms', {
      ...twilioFixture('sms-inbound-en'),
      MessageSid: newSid('SM'),
      From: phone,
      Body: 'STOP',
    });
    const params = call(phone);
    await tw.post('/webhooks/twilio/voice', params);
    await tw.post('/webhooks/twilio/voice-status', {
      ...twilioFixture('voice-status-completed'),
      CallSid: params['CallSid']!,
      From: phone,
    });
    const conv = await voiceConversation(phone);
    const items = await thread(conv.id);
    expect(items.filter((m) => m.direction === 'out')).toEqual([]);
    expect(items.at(-1)!.text).toMatch(/abandoned/);
  });
});
