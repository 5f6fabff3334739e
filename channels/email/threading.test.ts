import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  decodeToken,
  encodeToken,
  messageIdsOf,
  normalizeMessageId,
  ourMessageId,
  parseOurMessageId,
  replySubject,
  subjectKey,
  subjectToken,
  tokenAddress,
  tokensIn,
} from './threading';

const CONVERSATION = '3f2a9c1b-7d6e-4a5b-8c9d-0e1f2a3b4c5d';
const MESSAGE = 'a1b2c3d4-e5f6-4789-abcd-ef0123456789';

describe('reply tokens and our Message-IDs', () => {
  it('round-trip any UUID through a 26-letter token', () => {
    fc.assert(
      fc.property(fc.uuid(), (uuid) => {
        const token = encodeToken(uuid);
        expect(token).toMatch(/^[a-z2-7]{26}$/);
        expect(decodeToken(token)).toBe(uuid);
        expect(decodeToken(token.toUpperCase())).toBe(uuid);
      }),
    );
  });

  it('refuse what is not a token of ours', () => {
    expect(decodeToken('hello')).toBeUndefined();
    expect(decodeToken('a'.repeat(25) + 'b')).toBeUndefined(); // spare bits set
    expect(decodeToken('1'.repeat(26))).toBeUndefined();
  });

  it('carry the conversation and the message in our Message-ID', () => {
    const id = ourMessageId({ conversationId: CONVERSATION, messageId: MESSAGE }, 'example.com');
    expect(id).toMatch(/^<sb\.[a-z2-7]{26}\.[a-z2-7]{26}@example\.com>$/);
    expect(parseOurMessageId(id)).toEqual({ conversationId: CONVERSATION, messageId: MESSAGE });
    expect(parseOurMessageId(id.toUpperCase())).toEqual({
      conversationId: CONVERSATION,
      messageId: MESSAGE,
    });
    expect(parseOurMessageId('<CAHx8Ky3@mail.gmail.com>')).toBeUndefined();
  });

  it('are found in a plus address or a subject', () => {
    const address = tokenAddress('support@example.com', CONVERSATION);
    expect(address).toMatch(/^support\+sb-[a-z2-7]{26}@example\.com$/);
    expect(tokensIn([address.toUpperCase()], undefined)).toEqual([CONVERSATION]);
    expect(tokensIn([], `Re: Refund ${subjectToken(CONVERSATION)}`)).toEqual([CONVERSATION]);
    expect(tokensIn(['support+news@example.com'], 'Re: [sb-nope]')).toEqual([]);
  });
});

describe('Message-ID lists', () => {
  it.each([
    ['<a@x> <b@x>', ['<a@x>', '<b@x>']],
    ['<a@x>\r\n <b@x>\t<a@x>', ['<a@x>', '<b@x>']],
    ['a@x', ['<a@x>']],
    ['', []],
    [
      ['<a@x>', '<b@x>'],
      ['<a@x>', '<b@x>'],
    ],
  ] as const)('%j → %j', (value, expected) => {
    expect(messageIdsOf(value as string | string[])).toEqual(expected);
  });

  it('normalises one id', () => {
    expect(normalizeMessageId(' <a@x> ')).toBe('<a@x>');
    expect(normalizeMessageId('a@x')).toBe('<a@x>');
    expect(normalizeMessageId('')).toBeUndefined();
  });
});

describe('subject keys', () => {
  it.each([
    ['Your order #4521', 'your order #4521'],
    ['Re: Your order #4521', 'your order #4521'],
    ['RE: RE: Your order #4521', 'your order #4521'],
    ['Fwd: Re: Your order #4521', 'your order #4521'],
    ['FW: Your order #4521', 'your order #4521'],
    ['AW: WG: Your order #4521', 'your order #4521'],
    ['SV: VS: Your order #4521', 'your order #4521'],
    ['Re[2]: Your order #4521', 'your order #4521'],
    ['Re(3): Your order #4521', 'your order #4521'],
    ['Ответ: Your order #4521', 'your order #4521'],
    ['Отв: Пересл: Your order #4521', 'your order #4521'],
    ['پاسخ: Your order #4521', 'your order #4521'],
    ['رد: Your order #4521', 'your order #4521'],
    ['[EXTERNAL] Re: Your order #4521', 'your order #4521'],
    ['Re：  Your   order #4521 ', 'your order #4521'],
    ['پيگيري سفارش', 'پیگیری سفارش'],
    ['Re: پیگیری سفارش', 'پیگیری سفارش'],
    ['Не работает оплата', 'не работает оплата'],
    [`Re: Refund ${subjectToken(CONVERSATION)}`, 'refund'],
    ['Recipe for tea', 'recipe for tea'],
    ['Reply needed', 'reply needed'],
    ['', ''],
  ])('%j → %j', (subject, key) => {
    expect(subjectKey(subject)).toBe(key);
  });

  it('our reply keeps one Re:', () => {
    expect(replySubject('Your order')).toBe('Re: Your order');
    expect(replySubject('RE: Re: Your order')).toBe('Re: Your order');
    expect(replySubject('Ответ: Заказ')).toBe('Re: Заказ');
    expect(replySubject('')).toBe('Re:');
  });
});
