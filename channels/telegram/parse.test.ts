import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  TELEGRAM_FIXTURES,
  telegramFixture,
  type TelegramFixtureName,
} from '../../test/helpers/fakes/fixtures';
import { signLinkToken } from '../link-token';
import { ChannelParseError, type InboundMessage, type ParsedEvent } from '../types';
import { normalizePhone, parseUpdate } from './parse';

const opts = { allowGroups: false, linkSecret: 'link-secret' };

function only(events: ParsedEvent[]): ParsedEvent {
  expect(events).toHaveLength(1);
  return events[0]!;
}

function messageOf(name: TelegramFixtureName, o = opts): InboundMessage {
  const event = parseUpdate(telegramFixture(name), o).events.find((e) => e.type === 'message');
  if (event?.type !== 'message') throw new Error(`${name}: no message`);
  return event.message;
}

const sara = { kind: 'telegram' as const, value: '512345678', name: 'سارا رضایی' };
const ivan = { kind: 'telegram' as const, value: '623456789', name: 'Иван Петров' };

/** What each fixture becomes: the parts of the message that matter for it. */
const MESSAGES: [TelegramFixtureName, Partial<InboundMessage>][] = [
  [
    'message-text-fa',
    {
      sender: sara,
      threadKey: '512345678',
      channelRef: { chatId: 512345678, chatType: 'private' },
      profile: { language: 'fa', username: '@sara_rezaei' },
    },
  ],
  [
    'message-text-ru',
    {
      sender: ivan,
      providerMessageId: 'tg:623456789:57',
      profile: { language: 'ru', username: '@ivan_petrov' },
    },
  ],
  [
    'message-photo-caption',
    {
      attachments: [
        expect.objectContaining({ contentType: 'image/jpeg', ref: expect.objectContaining({}) }),
      ],
    },
  ],
  [
    'message-document',
    {
      text: 'Счёт во вложении',
      attachments: [
        {
          fileName: 'invoice-4512.pdf',
          contentType: 'application/pdf',
          size: 48213,
          ref: {
            fileId: 'BQACAgIAAxkBAAItgny48_OChyZVihezH6CnE7cvQVHFmTffkoPMeEow2uOmnW-BMZ12IuX',
            contentType: 'application/pdf',
            size: 48213,
          },
        },
      ],
    },
  ],
  [
    'message-voice',
    { text: '', attachments: [expect.objectContaining({ contentType: 'audio/ogg', size: 21468 })] },
  ],
  ['message-audio', { attachments: [expect.objectContaining({ contentType: 'audio/mpeg' })] }],
  ['message-video', { attachments: [expect.objectContaining({ contentType: 'video/mp4' })] }],
  [
    'message-video-note',
    {
      attachments: [
        expect.objectContaining({ fileName: 'video-note-61.mp4', contentType: 'video/mp4' }),
      ],
    },
  ],
  [
    'message-sticker',
    {
      text: '👍',
      attachments: [expect.objectContaining({ contentType: 'image/webp', size: 29330 })],
    },
  ],
  [
    'message-location',
    { text: expect.stringMatching(/^📍 https:\/\/www\.openstreetmap\.org\/\?mlat=/) },
  ],
  [
    'message-venue',
    {
      text: expect.stringMatching(
        /^📍 ЦУМ, Петровка ул\., 2, Москва\nhttps:\/\/www\.openstreetmap/,
      ),
    },
  ],
  [
    'message-contact',
    {
      text: '👤 Иван Петров +79161234567',
      extraIdentities: [{ kind: 'phone', value: '+79161234567' }],
    },
  ],
  [
    'message-reply',
    {
      meta: expect.objectContaining({
        replyTo: {
          messageId: 108,
          text: 'سفارش ۴۵۱۲ فردا تحویل داده می‌شود.',
          author: 'Switchboard Support',
          fromBot: true,
        },
      }),
    },
  ],
  [
    'callback-query',
    {
      sender: ivan,
      text: 'csat:5',
      providerMessageId: 'tg:cb:2681474962387613495',
      channelRef: { chatId: 623456789, chatType: 'private' },
    },
  ],
  [
    'message-start-deep-link',
    {
      text: '/start order_4512',
      meta: expect.objectContaining({ start: { payload: 'order_4512' } }),
    },
  ],
];

describe('parseUpdate', () => {
  it('reads every fixture without throwing', () => {
    for (const name of TELEGRAM_FIXTURES) {
      const result = parseUpdate(telegramFixture(name), opts);
      expect(result.updateId, name).toBe(telegramFixture(name).update_id);
    }
  });

  it.each(MESSAGES)('%s', (name, expected) => {
    const message = messageOf(name);
    expect(message).toMatchObject(expected);
    expect(message.raw).toEqual(telegramFixture(name));
  });

  it('ids a message by chat and message id, the same id an edit names', () => {
    const message = messageOf('message-text-ru');
    const edit = only(parseUpdate(telegramFixture('edited-message'), opts).events);
    expect(edit).toEqual({
      type: 'edit',
      providerMessageId: message.providerMessageId,
      sender: { kind: 'telegram', value: '623456789' },
      text: expect.stringContaining('Спасибо'),
      editedAt: new Date(1767261695 * 1000),
    });
  });

  it('takes the largest photo size and the caption', () => {
    const update = telegramFixture('message-photo-caption');
    const message = messageOf('message-photo-caption');
    const sizes = 'message' in update && 'photo' in update.message ? update.message.photo : [];
    expect(message.attachments[0]?.ref?.['fileId']).toBe(sizes.at(-1)?.file_id);
    expect(message.text).not.toBe('');
  });

  it('makes the two parts of an album one message, delivered in parts', () => {
    const first = messageOf('message-album-1');
    const second = messageOf('message-album-2');
    expect(first.providerMessageId).toBe('tg:512345678:album:13846271590384627');
    expect(second.providerMessageId).toBe(first.providerMessageId);
    expect([first.part, second.part]).toEqual([{ key: '103' }, { key: '104' }]);
    expect(first.text).toBe('دو عکس از جعبه');
    expect(second.text).toBe('');
    expect(second.attachments).toHaveLength(1);
  });

  it('answers a button press and takes its data as the customer’s words', () => {
    const result = parseUpdate(telegramFixture('callback-query'), opts);
    expect(result.callbackQueryId).toBe('2681474962387613495');
  });

  it('turns a signed /start payload into a link, keeping the payload out of the message', () => {
    const id = randomUUID();
    const update = telegramFixture('message-start-deep-link');
    if (!('message' in update) || !('text' in update.message)) throw new Error('fixture shape');
    update.message.text = `/start ${signLinkToken('link-secret', id)}`;
    const events = parseUpdate(update, opts).events;
    expect(events[0]).toEqual({
      type: 'link',
      token: id,
      identity: { kind: 'telegram', value: '734567890' },
    });
    expect(events[1]).toMatchObject({
      type: 'message',
      message: { text: '/start', meta: expect.objectContaining({ start: { linked: true } }) },
    });
    expect(JSON.stringify(events[1])).not.toContain(signLinkToken('link-secret', id));
    // Signed with another server's secret: an ordinary /start.
    expect(parseUpdate(update, { ...opts, linkSecret: 'other' }).events.map((e) => e.type)).toEqual(
      ['message'],
    );
  });

  it('marks the identity blocked when the user blocks the bot, and ok when they come back', () => {
    expect(only(parseUpdate(telegramFixture('my-chat-member-kicked'), opts).events)).toEqual({
      type: 'identity',
      identity: { kind: 'telegram', value: '623456789' },
      state: 'blocked',
      reason: 'the customer blocked the bot',
    });
    expect(only(parseUpdate(telegramFixture('my-chat-member-member'), opts).events)).toMatchObject({
      type: 'identity',
      state: 'ok',
    });
  });

  it('ignores group messages unless the inbox serves groups; then the group is the thread', () => {
    const off = parseUpdate(telegramFixture('message-group'), opts);
    expect(off.events).toEqual([]);
    expect(off.ignored).toMatch(/groups are off/);
    const on = messageOf('message-group', { ...opts, allowGroups: true });
    expect(on).toMatchObject({
      sender: { kind: 'telegram', value: '734567890', name: 'Alex Morgan' },
      threadKey: '-1001987654321',
      channelRef: {
        chatId: -1001987654321,
        chatType: 'supergroup',
        title: 'Switchboard Beta Testers',
      },
    });
  });

  it('ignores update kinds it does not handle, saying which', () => {
    expect(parseUpdate(telegramFixture('poll'), opts)).toEqual({
      updateId: telegramFixture('poll').update_id,
      events: [],
      ignored: 'poll',
    });
  });

  it('adds the shared phone only when the contact is the sender’s own', () => {
    const update = telegramFixture('message-contact');
    if (!('message' in update) || !('contact' in update.message)) throw new Error('fixture shape');
    update.message.contact.user_id = 999;
    const event = parseUpdate(update, opts).events[0];
    expect(event?.type === 'message' && event.message.extraIdentities).toBeFalsy();
  });

  it.each([
    ['not an object', 'hello'],
    ['no update_id', { message: {} }],
    ['a message without a chat', { update_id: 1, message: { message_id: 1, date: 1 } }],
  ])('refuses %s', (_name, body) => {
    expect(() => parseUpdate(body, opts)).toThrow(ChannelParseError);
  });
});

describe('normalizePhone', () => {
  it.each([
    ['79161234567', '+79161234567'],
    ['+7 916 123-45-67', '+79161234567'],
    ['989121234567', '+989121234567'],
    ['۹۸۹۱۲۱۲۳۴۵۶۷', '+989121234567'],
    ['٩٨٩١٢١٢٣٤٥٦٧', '+989121234567'],
    ['00989121234567', '+989121234567'],
    ['12', undefined],
  ])('%s → %s', (input, expected) => {
    expect(normalizePhone(input)).toBe(expected);
  });
});
