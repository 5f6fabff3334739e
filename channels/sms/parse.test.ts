import { describe, expect, it } from 'vitest';
import { ChannelParseError, type WebhookRequest } from '../types';
import { twilioFixture, type TwilioFixtureName } from '../../test/helpers/fakes/fixtures';
import { parseSmsWebhook } from './parse';

const req = (subPath: string, body: Record<string, string>): WebhookRequest => ({
  method: 'POST',
  subPath,
  url: `https://switchboard.example.com/webhooks/twilio/${subPath}`,
  headers: {},
  query: {},
  rawBody: Buffer.from(new URLSearchParams(body).toString()),
  body,
});

describe('parseSmsWebhook over every messaging fixture', () => {
  const inbound: [TwilioFixtureName, unknown][] = [
    [
      'sms-inbound-en',
      [
        {
          type: 'message',
          message: expect.objectContaining({
            sender: { kind: 'phone', value: '+15555550123' },
            providerMessageId: 'SM33a647dc29512e85e658d5cd34b8f298',
            text: "Hi, my order #4512 hasn't arrived yet. Can you check?",
            attachments: [],
          }),
        },
      ],
    ],
    [
      'sms-inbound-fa',
      [
        {
          type: 'message',
          message: expect.objectContaining({
            sender: { kind: 'phone', value: '+989121234567' },
            profile: { language: 'fa' },
            meta: expect.objectContaining({ segments: 2 }),
          }),
        },
      ],
    ],
    [
      'sms-inbound-stop',
      [
        expect.objectContaining({ type: 'message' }),
        expect.objectContaining({
          type: 'identity',
          identity: { kind: 'phone', value: '+15555550123' },
          state: 'opted_out',
        }),
      ],
    ],
    [
      'sms-inbound-start',
      [
        expect.objectContaining({ type: 'message' }),
        expect.objectContaining({ type: 'identity', state: 'ok' }),
      ],
    ],
    [
      'sms-inbound-stop-no-service',
      [
        expect.objectContaining({ type: 'message' }),
        expect.objectContaining({
          type: 'identity',
          identity: { kind: 'phone', value: '+79161234567' },
          state: 'opted_out',
        }),
      ],
    ],
    [
      'mms-inbound-two-media',
      [
        {
          type: 'message',
          message: expect.objectContaining({
            providerMessageId: 'MM60e842694dbe87954f3693fff42131a5',
            attachments: [
              {
                fileName: 'MM60e842694dbe87954f3693fff42131a5-0.jpg',
                contentType: 'image/jpeg',
                ref: {
                  url: expect.stringMatching(/^https:\/\/api\.twilio\.com\/.*\/Media\/MEda4e/),
                },
              },
              {
                fileName: 'MM60e842694dbe87954f3693fff42131a5-1.png',
                contentType: 'image/png',
                ref: { url: expect.stringMatching(/\/Media\/MEcb5d/) },
              },
            ],
          }),
        },
      ],
    ],
  ];
  it.each(inbound)('sms: %s', (name, expected) => {
    expect(parseSmsWebhook(req('sms', twilioFixture(name)), undefined)).toEqual(expected);
  });

  it.each([
    ['status-queued', []],
    [
      'status-sent',
      [{ type: 'status', providerMessageId: 'SMb15efcf6b0f89c74df849881d935b93d', status: 'sent' }],
    ],
    [
      'status-delivered',
      [
        {
          type: 'status',
          providerMessageId: 'SMb15efcf6b0f89c74df849881d935b93d',
          status: 'delivered',
        },
      ],
    ],
    [
      'status-undelivered-30003',
      [
        {
          type: 'status',
          providerMessageId: 'SMb15efcf6b0f89c74df849881d935b93d',
          status: 'failed',
          error: {
            code: '30003',
            message: expect.stringMatching(/^Twilio 30003: unreachable destination handset/),
          },
        },
      ],
    ],
    [
      'status-failed-30007',
      [
        {
          type: 'status',
          providerMessageId: 'SMb15efcf6b0f89c74df849881d935b93d',
          status: 'failed',
          error: { code: '30007', message: expect.stringMatching(/filtered/) },
        },
      ],
    ],
  ] as [TwilioFixtureName, unknown][])('status: %s', (name, expected) => {
    expect(parseSmsWebhook(req('status', twilioFixture(name)), undefined)).toEqual(expected);
  });
});

describe('keywords and bad input', () => {
  const base = twilioFixture('sms-inbound-en');
  it.each([
    ['STOP', 'opted_out'],
    ['  stopall ', 'opted_out'],
    ['Unsubscribe', 'opted_out'],
    ['cancel', 'opted_out'],
    ['END', 'opted_out'],
    ['quit', 'opted_out'],
    ['start', 'ok'],
    ['YES', 'ok'],
    ['unstop', 'ok'],
    ['stop sending me ads', undefined],
    ['please stop', undefined],
    ['HELP', undefined],
  ])('%j → %s', (body, state) => {
    const events = parseSmsWebhook(req('sms', { ...base, Body: body }), undefined);
    expect(events.find((e) => e.type === 'identity')).toEqual(
      state ? expect.objectContaining({ state }) : undefined,
    );
    expect(events[0]).toMatchObject({ type: 'message', message: { text: body } });
  });

  it('keeps a media URL on another host as a failed file with the reason, never as a ref', () => {
    const events = parseSmsWebhook(
      req('sms', {
        ...base,
        NumMedia: '2',
        MediaUrl0: 'https://attacker.invalid/x.jpg',
        MediaContentType0: 'image/jpeg',
        MediaUrl1: 'http://169.254.169.254/latest',
        MediaContentType1: 'image/png',
      }),
      undefined,
    );
    const first = events[0]!;
    const message = first.type === 'message' ? first.message : undefined;
    expect(message?.attachments).toEqual([
      expect.objectContaining({ error: expect.stringContaining('attacker.invalid') }),
      expect.objectContaining({ error: expect.stringContaining('169.254.169.254') }),
    ]);
    expect(message?.attachments.some((a) => a.ref)).toBe(false);
  });

  it.each([
    ['sms', { Body: 'x', From: '+15555550123' }, /MessageSid/],
    ['sms', { Body: 'x', MessageSid: 'SM1' }, /From/],
    ['status', { MessageStatus: 'sent' }, /MessageSid/],
    ['status', { MessageSid: 'SM1' }, /MessageStatus/],
    ['voice', { CallSid: 'CA1' }, /no webhook voice/],
  ])('%s without what it needs is a parse error (%j)', (subPath, body, message) => {
    expect(() => parseSmsWebhook(req(subPath, body), undefined)).toThrow(ChannelParseError);
    expect(() => parseSmsWebhook(req(subPath, body), undefined)).toThrow(message);
  });

  it('ignores statuses it does not know', () => {
    expect(
      parseSmsWebhook(
        req('status', { MessageSid: 'SM1', MessageStatus: 'partially_delivered' }),
        undefined,
      ),
    ).toEqual([]);
  });
});
