import { describe, expect, it } from 'vitest';
import twilio from 'twilio';
import type { WebhookRequest } from '../types';
import { verifyTwilioSignature } from './verify';

const TOKEN = '0123456789abcdef0123456789abcdef';
const URL_ = 'https://switchboard.example.com/webhooks/twilio/sms?lang=fa';
const params = { From: '+15555550123', Body: 'Hi', MessageSid: 'SM1' };

function request(
  signature: string | undefined,
  body: Record<string, string> = params,
  url = URL_,
): WebhookRequest {
  return {
    method: 'POST',
    subPath: 'sms',
    url,
    headers: signature ? { 'x-twilio-signature': signature } : {},
    query: {},
    rawBody: Buffer.from(new URLSearchParams(body).toString()),
    body,
  };
}

const sign = (url: string, body: Record<string, string>, token = TOKEN) =>
  twilio.getExpectedTwilioSignature(token, url, body);

describe('verifyTwilioSignature', () => {
  it('accepts a request signed by Twilio’s algorithm for this URL, query and parameters', () => {
    expect(verifyTwilioSignature(request(sign(URL_, params)), TOKEN)).toEqual({ ok: true });
  });

  it.each([
    ['the header is missing', request(undefined), /missing/],
    ['the signature is wrong', request('AAAAAAAAAAAAAAAAAAAAAAAAAAA='), /does not match/],
    [
      'signed for another URL',
      request(sign('https://other.example.com/webhooks/twilio/sms?lang=fa', params)),
      /does not match/,
    ],
    [
      'signed without the query',
      request(sign('https://switchboard.example.com/webhooks/twilio/sms', params)),
      /does not match/,
    ],
    [
      'one parameter was changed',
      request(sign(URL_, params), { ...params, Body: 'Hi!' }),
      /does not match/,
    ],
    [
      'a parameter was added',
      request(sign(URL_, params), { ...params, NumMedia: '1' }),
      /does not match/,
    ],
    ['signed with another token', request(sign(URL_, params, 'f'.repeat(32))), /does not match/],
  ])('refuses it when %s', (_name, req, reason) => {
    const result = verifyTwilioSignature(req, TOKEN);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });

  it('checks a JSON body through its bodySHA256 query parameter', () => {
    const body = '{"event":"x"}';
    const hash = twilio.getExpectedBodyHash(body);
    const url = `https://switchboard.example.com/webhooks/twilio/sms?bodySHA256=${hash}`;
    const req = (raw: string): WebhookRequest => ({
      method: 'POST',
      subPath: 'sms',
      url,
      headers: { 'x-twilio-signature': sign(url, {}) },
      query: { bodySHA256: hash },
      rawBody: Buffer.from(raw),
      body: JSON.parse(raw) as unknown,
    });
    expect(verifyTwilioSignature(req(body), TOKEN)).toEqual({ ok: true });
    expect(verifyTwilioSignature(req('{"event":"y"}'), TOKEN).ok).toBe(false);
  });
});
