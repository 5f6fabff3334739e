import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  TELEGRAM_FIXTURES,
  TWILIO_FIXTURES,
  telegramFixture,
  twilioFixture,
} from '../helpers/fakes/fixtures';
import { segmentCount } from '../helpers/fakes/twilio';

const root = join(dirname(fileURLToPath(import.meta.url)), '../fixtures');
const jsonFiles = (dir: string) =>
  readdirSync(join(root, dir))
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.replace(/\.json$/, ''))
    .sort();

/** Reads a nested field of a parsed fixture without trusting its shape. */
function at(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (!current || typeof current !== 'object') return undefined;
    current = Object.entries(current).find(([k]) => k === key)?.[1];
  }
  return current;
}

describe('Telegram fixtures', () => {
  it('lists every file in the directory', () => {
    expect([...TELEGRAM_FIXTURES].sort()).toEqual(jsonFiles('telegram'));
  });

  it.each(TELEGRAM_FIXTURES)('%s is one update with one payload', (name) => {
    const update = telegramFixture(name);
    expect(Number.isInteger(update.update_id)).toBe(true);
    expect(Object.keys(update).filter((k) => k !== 'update_id')).toHaveLength(1);
    const message = at(update, 'message') ?? at(update, 'edited_message');
    if (message) {
      expect(typeof at(message, 'message_id')).toBe('number');
      expect(typeof at(message, 'date')).toBe('number');
      expect(typeof at(message, 'chat', 'id')).toBe('number');
      expect(['private', 'group', 'supergroup', 'channel']).toContain(at(message, 'chat', 'type'));
    }
  });

  it('has increasing update ids', () => {
    const ids = TELEGRAM_FIXTURES.map((name) => telegramFixture(name).update_id);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('has an album of two updates sharing media_group_id', () => {
    const first = at(telegramFixture('message-album-1'), 'message', 'media_group_id');
    expect(typeof first).toBe('string');
    expect(at(telegramFixture('message-album-2'), 'message', 'media_group_id')).toBe(first);
  });

  it('has a deep link whose /start is a bot_command entity', () => {
    const message = at(telegramFixture('message-start-deep-link'), 'message');
    expect(at(message, 'text')).toBe('/start order_4512');
    expect(at(message, 'entities')).toEqual([{ offset: 0, length: 6, type: 'bot_command' }]);
  });

  it('has a block and an unblock of the bot', () => {
    const kicked = at(telegramFixture('my-chat-member-kicked'), 'my_chat_member');
    expect(at(kicked, 'new_chat_member', 'status')).toBe('kicked');
    const member = at(telegramFixture('my-chat-member-member'), 'my_chat_member');
    expect(at(member, 'old_chat_member', 'status')).toBe('kicked');
    expect(at(member, 'new_chat_member', 'status')).toBe('member');
  });

  it('carries the languages of the Persian and Russian users', () => {
    expect(at(telegramFixture('message-text-fa'), 'message', 'from', 'language_code')).toBe('fa');
    expect(at(telegramFixture('message-text-ru'), 'message', 'from', 'language_code')).toBe('ru');
  });
});

describe('Twilio fixtures', () => {
  const SID = /^(AC|SM|MM|ME|MG|CA|RE|TR)[0-9a-f]{32}$/;
  const account = twilioFixture('sms-inbound-en').AccountSid;

  it('lists every file in the directory', () => {
    expect([...TWILIO_FIXTURES].sort()).toEqual(jsonFiles('twilio'));
  });

  it.each(TWILIO_FIXTURES)('%s is a flat string map with well-formed SIDs', (name) => {
    const params = twilioFixture(name);
    expect(params.AccountSid).toBe(account);
    for (const [key, value] of Object.entries(params)) {
      if (/Sid$/.test(key)) expect(value, key).toMatch(SID);
    }
    for (const key of ['From', 'To']) {
      if (params[key]) expect(params[key]).toMatch(/^\+(1555|98912|7916)\d+$/);
    }
  });

  it('has media URLs on api.twilio.com, one per NumMedia', () => {
    const mms = twilioFixture('mms-inbound-two-media');
    expect(mms.NumMedia).toBe('2');
    expect(mms.MessageSid).toMatch(/^MM/);
    for (const i of [0, 1]) {
      expect(mms[`MediaUrl${i}`]).toMatch(
        new RegExp(
          `^https://api\\.twilio\\.com/2010-04-01/Accounts/${account}/Messages/${mms.MessageSid}/Media/ME[0-9a-f]{32}$`,
        ),
      );
      expect(mms[`MediaContentType${i}`]).toMatch(/^image\//);
    }
  });

  it('sends OptOutType only through a Messaging Service', () => {
    expect(twilioFixture('sms-inbound-stop')).toMatchObject({ Body: 'STOP', OptOutType: 'STOP' });
    expect(twilioFixture('sms-inbound-start')).toMatchObject({ OptOutType: 'START' });
    expect(twilioFixture('sms-inbound-stop').MessagingServiceSid).toBeDefined();
    expect(twilioFixture('sms-inbound-stop-no-service').OptOutType).toBeUndefined();
  });

  it('counts segments as Twilio does', () => {
    for (const name of ['sms-inbound-en', 'sms-inbound-fa'] as const) {
      const params = twilioFixture(name);
      expect(String(segmentCount(params.Body ?? ''))).toBe(params.NumSegments);
    }
  });

  it('has error codes only on failed deliveries', () => {
    expect(twilioFixture('status-delivered').ErrorCode).toBeUndefined();
    expect(twilioFixture('status-undelivered-30003')).toMatchObject({
      MessageStatus: 'undelivered',
      ErrorCode: '30003',
    });
    expect(twilioFixture('status-failed-30007')).toMatchObject({
      MessageStatus: 'failed',
      ErrorCode: '30007',
    });
  });
});
