import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import twilio from 'twilio';
import { twilioFixture } from '../helpers/fakes/fixtures';
import {
  atFake,
  newSid,
  postTwilioWebhook,
  segmentCount,
  sendStatusCallback,
  startFakeTwilio,
  TwilioErrors,
  type FakeTwilio,
} from '../helpers/fakes/twilio';
import { rewriteTwilioUrl, twilioClientFor } from '../helpers/fakes/twilio-client';
import { startReceiver } from './receiver';

const ACCOUNT = 'ACa1b2c3d4e5f60718293a4b5c6d7e8f90';
const TOKEN = '0123456789abcdef0123456789abcdef';
const NUMBER = '+15555550100';

let fake: FakeTwilio;
let client: twilio.Twilio;

function basic(sid: string, token: string): string {
  return `Basic ${Buffer.from(`${sid}:${token}`).toString('base64')}`;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

beforeAll(async () => {
  fake = await startFakeTwilio();
  fake.addAccount({ accountSid: ACCOUNT, authToken: TOKEN, friendlyName: 'Switchboard test' });
  fake.addNumber(ACCOUNT, { phoneNumber: NUMBER, smsUrl: 'https://example.com/sms' });
  client = twilioClientFor(fake.url, ACCOUNT, TOKEN);
});

afterAll(async () => {
  await fake.close();
});

describe('the twilio library against the fake', () => {
  it('rewrites only Twilio hosts, keeping path, query and a base path', () => {
    expect(
      rewriteTwilioUrl('https://api.twilio.com/2010-04-01/Accounts/AC1.json?x=1', 'http://h:9'),
    ).toBe('http://h:9/2010-04-01/Accounts/AC1.json?x=1');
    expect(rewriteTwilioUrl('https://api.dublin.ie1.twilio.com/v1/X', 'http://h:9/tw/')).toBe(
      'http://h:9/tw/v1/X',
    );
    expect(rewriteTwilioUrl('https://example.com/a', 'http://h:9')).toBe('https://example.com/a');
  });

  it('creates a message through client.messages.create', async () => {
    const message = await client.messages.create({
      to: '+989121234567',
      from: NUMBER,
      body: 'Your order 4512 ships tomorrow.',
      statusCallback: 'https://switchboard.example.com/webhooks/twilio/status',
    });
    expect(message.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(message).toMatchObject({
      accountSid: ACCOUNT,
      status: 'queued',
      direction: 'outbound-api',
      numSegments: '1',
      numMedia: '0',
      to: '+989121234567',
      from: NUMBER,
      apiVersion: '2010-04-01',
      uri: `/2010-04-01/Accounts/${ACCOUNT}/Messages/${message.sid}.json`,
    });
    expect(message.dateCreated).toBeInstanceOf(Date);
    expect(Number.isNaN(message.dateCreated.getTime())).toBe(false);

    const call = await fake.waitForCall(
      (c) => c.httpMethod === 'POST' && c.path.endsWith('Messages.json'),
    );
    expect(call.auth).toEqual({ username: ACCOUNT, valid: true });
    expect(call.params).toMatchObject({
      To: '+989121234567',
      From: NUMBER,
      Body: 'Your order 4512 ships tomorrow.',
      StatusCallback: 'https://switchboard.example.com/webhooks/twilio/status',
    });
    expect(call.response).toMatchObject({ status: 201 });
  });

  it('fetches the account, and refuses wrong credentials with 20003', async () => {
    const account = await client.api.v2010.accounts(ACCOUNT).fetch();
    expect(account).toMatchObject({
      sid: ACCOUNT,
      friendlyName: 'Switchboard test',
      status: 'active',
    });

    const wrong = twilioClientFor(fake.url, ACCOUNT, 'not-the-token');
    const err = await rejection(wrong.api.v2010.accounts(ACCOUNT).fetch());
    expect(err).toBeInstanceOf(twilio.RestException);
    expect(err).toMatchObject({
      status: 401,
      code: 20003,
      message: 'Authenticate',
      moreInfo: 'https://www.twilio.com/docs/errors/20003',
    });
    const raw = await fetch(`${fake.url}/2010-04-01/Accounts/${ACCOUNT}.json`);
    expect(raw.status).toBe(401);
    expect(raw.headers.get('www-authenticate')).toMatch(/^Basic/);
  });

  it('sends MMS with repeated MediaUrl, and through a Messaging Service', async () => {
    const mms = await client.messages.create({
      to: '+15555550123',
      from: NUMBER,
      mediaUrl: ['https://example.com/a.jpg', 'https://example.com/b.png'],
    });
    expect(mms.sid).toMatch(/^MM/);
    expect(mms.numMedia).toBe('2');
    const call = fake.calls.at(-1);
    expect(call?.multi.MediaUrl).toEqual([
      'https://example.com/a.jpg',
      'https://example.com/b.png',
    ]);

    const viaService = await client.messages.create({
      to: '+15555550123',
      messagingServiceSid: newSid('MG'),
      body: 'hi',
    });
    expect(viaService).toMatchObject({ status: 'accepted', from: null });
  });

  it('counts segments: GSM-7 160/153, UCS-2 70/67', async () => {
    expect(segmentCount('a'.repeat(160))).toBe(1);
    expect(segmentCount('a'.repeat(161))).toBe(2);
    expect(segmentCount('€'.repeat(80))).toBe(1);
    expect(segmentCount('ب'.repeat(70))).toBe(1);
    expect(segmentCount('ب'.repeat(71))).toBe(2);
    const long = await client.messages.create({
      to: '+79161234567',
      from: NUMBER,
      body: 'Ж'.repeat(140),
    });
    expect(long.numSegments).toBe('3');
  });

  it('lists incoming phone numbers filtered by PhoneNumber', async () => {
    const numbers = await client.incomingPhoneNumbers.list({ phoneNumber: NUMBER });
    expect(numbers).toHaveLength(1);
    expect(numbers[0]).toMatchObject({ phoneNumber: NUMBER, smsUrl: 'https://example.com/sms' });
    expect(await client.incomingPhoneNumbers.list({ phoneNumber: '+15555550999' })).toEqual([]);
  });
});

describe('errors', () => {
  it('answers 21211 for an invalid To, 21610 after STOP, 21408 for a disabled region', async () => {
    const invalid = await rejection(
      client.messages.create({ to: '12345', from: NUMBER, body: 'x' }),
    );
    expect(invalid).toMatchObject({
      status: 400,
      code: 21211,
      message: "The 'To' number 12345 is not a valid phone number.",
      moreInfo: 'https://www.twilio.com/docs/errors/21211',
    });

    fake.optOut(ACCOUNT, '+15555550123');
    const stopped = await rejection(
      client.messages.create({ to: '+15555550123', from: NUMBER, body: 'x' }),
    );
    expect(stopped).toMatchObject({ status: 400, code: 21610 });
    fake.optIn(ACCOUNT, '+15555550123');

    fake.disableRegion(ACCOUNT, '+98');
    const region = await rejection(
      client.messages.create({ to: '+989121234567', from: NUMBER, body: 'x' }),
    );
    expect(region).toMatchObject({ status: 400, code: 21408 });
  });

  it('injects the next error, a delay or a dropped connection', async () => {
    fake.failNext(TwilioErrors.unsubscribedRecipient, { method: 'POST', path: '/Messages.json' });
    const err = await rejection(
      client.messages.create({ to: '+15555550123', from: NUMBER, body: 'x' }),
    );
    expect(err).toMatchObject({
      status: 400,
      code: 21610,
      message: 'Attempt to send to unsubscribed recipient',
    });

    fake.failNext({ status: 429, code: 20429, message: 'Too Many Requests' });
    await expect(client.api.v2010.accounts(ACCOUNT).fetch()).rejects.toMatchObject({ status: 429 });

    fake.failNext({ delayMs: 120 });
    const started = Date.now();
    await client.api.v2010.accounts(ACCOUNT).fetch();
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);

    fake.failNext({ drop: true });
    const dropped = await rejection(client.api.v2010.accounts(ACCOUNT).fetch());
    expect(String(dropped)).toMatch(/socket hang up|ECONNRESET/);
  });

  it('answers 404 with 20404 for another account and unknown resources', async () => {
    const other = newSid('AC');
    const res = await fetch(`${fake.url}/2010-04-01/Accounts/${other}.json`, {
      headers: { authorization: basic(ACCOUNT, TOKEN) },
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      code: 20404,
      message: `The requested resource /2010-04-01/Accounts/${other}.json was not found`,
      more_info: 'https://www.twilio.com/docs/errors/20404',
      status: 404,
    });
  });
});

describe('media and recordings', () => {
  it('redirects a media URL to the CDN, which serves the bytes without credentials', async () => {
    const mms = twilioFixture('mms-inbound-two-media');
    const [, messageSid = '', mediaSid = ''] =
      /Messages\/(MM\w+)\/Media\/(ME\w+)$/.exec(mms.MediaUrl0 ?? '') ?? [];
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);
    const added = fake.addMedia(ACCOUNT, {
      messageSid,
      mediaSid,
      contentType: 'image/jpeg',
      bytes: jpeg,
    });
    const url = atFake(mms.MediaUrl0 ?? '', fake);
    expect(added.url).toBe(url);

    const redirect = await fetch(url, {
      headers: { authorization: basic(ACCOUNT, TOKEN) },
      redirect: 'manual',
    });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toMatch(new RegExp(`^${fake.cdnUrl}/media/`));

    const followed = await fetch(url, { headers: { authorization: basic(ACCOUNT, TOKEN) } });
    expect(followed.status).toBe(200);
    expect(followed.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await followed.arrayBuffer()).equals(jpeg)).toBe(true);
    // fetch drops Authorization when a redirect leaves the origin; the CDN saw no credentials.
    expect(fake.cdnRequests.at(-1)?.authorization).toBeUndefined();

    const anonymous = await fetch(url);
    expect(anonymous.status).toBe(401);
    const meta = await fetch(`${url}.json`, { headers: { authorization: basic(ACCOUNT, TOKEN) } });
    expect(await meta.json()).toMatchObject({
      sid: mediaSid,
      content_type: 'image/jpeg',
      parent_sid: messageSid,
    });
  });

  it('serves a recording as WAV, as MP3 and as JSON', async () => {
    const wav = Buffer.from('RIFF....WAVEfmt ');
    const mp3 = Buffer.from('ID3\u0004fake-mp3');
    const { url, recordingSid } = fake.addRecording(ACCOUNT, { wav, mp3, durationSeconds: 14 });
    const auth = { authorization: basic(ACCOUNT, TOKEN) };
    const bare = await fetch(url, { headers: auth });
    expect(bare.headers.get('content-type')).toBe('audio/x-wav');
    expect(Buffer.from(await bare.arrayBuffer()).equals(wav)).toBe(true);
    const asWav = await fetch(`${url}.wav`, { headers: auth });
    expect(asWav.headers.get('content-type')).toBe('audio/x-wav');
    const asMp3 = await fetch(`${url}.mp3`, { headers: auth });
    expect(asMp3.headers.get('content-type')).toBe('audio/mpeg');
    expect(Buffer.from(await asMp3.arrayBuffer()).equals(mp3)).toBe(true);
    const json = await fetch(`${url}.json`, { headers: auth });
    expect(await json.json()).toMatchObject({
      sid: recordingSid,
      duration: '14',
      status: 'completed',
    });
    expect((await fetch(url)).status).toBe(401);
  });
});

describe('signed webhooks', () => {
  it('signs a webhook that twilio.validateRequest accepts, and a tampered one it refuses', async () => {
    const receiver = await startReceiver();
    try {
      const params = twilioFixture('sms-inbound-fa');
      const publicUrl = 'https://switchboard.example.com/webhooks/twilio/sms?inbox=7';
      await postTwilioWebhook(`${receiver.url}/webhooks/twilio/sms?inbox=7`, params, TOKEN, {
        signatureUrl: publicUrl,
      });
      await postTwilioWebhook(`${receiver.url}/webhooks/twilio/sms`, params, TOKEN, {
        signatureUrl: publicUrl,
        tamper: true,
      });
      await postTwilioWebhook(`${receiver.url}/webhooks/twilio/sms`, params, TOKEN, {
        signatureUrl: publicUrl,
        tamper: 'signature',
      });
      const [good, alteredBody, alteredSignature] = receiver.received.map((request) => ({
        request,
        params: Object.fromEntries(new URLSearchParams(request.body)),
        signature: String(request.headers['x-twilio-signature']),
      }));
      if (!good || !alteredBody || !alteredSignature) throw new Error('three requests expected');

      expect(good.request.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(good.params).toEqual(params);
      expect(twilio.validateRequest(TOKEN, good.signature, publicUrl, good.params)).toBe(true);
      // Signed for the public URL, so checking against the local URL fails.
      expect(
        twilio.validateRequest(
          TOKEN,
          good.signature,
          `${receiver.url}${good.request.path}`,
          good.params,
        ),
      ).toBe(false);
      expect(twilio.validateRequest('other-token', good.signature, publicUrl, good.params)).toBe(
        false,
      );
      expect(
        twilio.validateRequest(TOKEN, alteredBody.signature, publicUrl, alteredBody.params),
      ).toBe(false);
      expect(
        twilio.validateRequest(
          TOKEN,
          alteredSignature.signature,
          publicUrl,
          alteredSignature.params,
        ),
      ).toBe(false);
    } finally {
      await receiver.close();
    }
  });

  it('posts signed status callbacks, by hand and for a created message', async () => {
    const receiver = await startReceiver();
    try {
      const url = `${receiver.url}/webhooks/twilio/status`;
      await sendStatusCallback(
        url,
        {
          MessageSid: newSid('SM'),
          MessageStatus: 'undelivered',
          ErrorCode: 30003,
          AccountSid: ACCOUNT,
        },
        TOKEN,
      );
      const first = receiver.received[0];
      const firstParams = Object.fromEntries(new URLSearchParams(first?.body ?? ''));
      expect(firstParams).toMatchObject({
        MessageStatus: 'undelivered',
        SmsStatus: 'undelivered',
        ErrorCode: '30003',
      });
      expect(
        twilio.validateRequest(
          TOKEN,
          String(first?.headers['x-twilio-signature']),
          url,
          firstParams,
        ),
      ).toBe(true);

      const message = await client.messages.create({
        to: '+79161234567',
        from: NUMBER,
        body: 'Ваш заказ отправлен',
        statusCallback: url,
      });
      const res = await fake.deliverStatus(message.sid, 'failed', { errorCode: 30007 });
      expect(res?.status).toBe(200);
      const second = receiver.received[1];
      const params = Object.fromEntries(new URLSearchParams(second?.body ?? ''));
      expect(params).toEqual({
        AccountSid: ACCOUNT,
        ApiVersion: '2010-04-01',
        ErrorCode: '30007',
        From: NUMBER,
        MessageSid: message.sid,
        MessageStatus: 'failed',
        SmsSid: message.sid,
        SmsStatus: 'failed',
        To: '+79161234567',
      });
      expect(
        twilio.validateRequest(TOKEN, String(second?.headers['x-twilio-signature']), url, params),
      ).toBe(true);
      const fetched = await client.messages(message.sid).fetch();
      expect(fetched).toMatchObject({
        status: 'failed',
        errorCode: 30007,
        errorMessage: 'Message filtered',
      });
    } finally {
      await receiver.close();
    }
  });
});
