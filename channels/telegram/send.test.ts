import { describe, expect, it } from 'vitest';
import { TelegramError } from 'telegraf';
import { ChannelSendError } from '../types';
import { MAX_TEXT, RateGate, splitText, toSendError } from './send';

describe('splitText', () => {
  it('keeps a short text whole', () => {
    expect(splitText('سلام! چطور می‌توانم کمک کنم؟')).toEqual(['سلام! چطور می‌توانم کمک کنم؟']);
  });

  it('cuts between paragraphs first', () => {
    const a = 'a'.repeat(3000);
    const b = 'b'.repeat(3000);
    expect(splitText(`${a}\n\n${b}`)).toEqual([a, b]);
  });

  it('then between sentences, keeping the full stop with its sentence', () => {
    const sentence = 'Это предложение о доставке заказа номер 4512. ';
    const text = sentence.repeat(200).trim();
    const parts = splitText(text);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(MAX_TEXT);
      expect(part.endsWith('.')).toBe(true);
    }
    expect(parts.join(' ')).toBe(text);
  });

  it('understands the Persian question mark as the end of a sentence', () => {
    const text = `${'چرا سفارش من نرسید؟ '.repeat(300)}`.trim();
    const parts = splitText(text, 100);
    expect(parts.every((p) => p.endsWith('؟') && p.length <= 100)).toBe(true);
  });

  it('cuts a single endless word where it must, never inside a surrogate pair', () => {
    const text = `${'x'.repeat(MAX_TEXT - 1)}😀${'y'.repeat(10)}`;
    const parts = splitText(text);
    expect(parts).toHaveLength(2);
    expect(parts[0]).toBe('x'.repeat(MAX_TEXT - 1));
    expect(parts[1]).toBe(`😀${'y'.repeat(10)}`);
    expect(parts.join('')).toBe(text);
  });

  it('sends nothing for an empty text', () => {
    expect(splitText('   ')).toEqual([]);
  });
});

describe('RateGate', () => {
  it('spaces sends by its interval after a burst', () => {
    const gate = new RateGate(1000, 2);
    expect([gate.reserve(0), gate.reserve(0), gate.reserve(0), gate.reserve(0)]).toEqual([
      0, 0, 1000, 2000,
    ]);
  });

  it('waits out a pause', () => {
    const gate = new RateGate(100);
    gate.pause(5000, 0);
    expect(gate.reserve(0)).toBe(5000);
  });
});

describe('toSendError', () => {
  const tg = (error_code: number, description: string, retry_after?: number) =>
    new TelegramError({
      error_code,
      description,
      ...(retry_after ? { parameters: { retry_after } } : {}),
    });

  it.each([
    [tg(429, 'Too Many Requests: retry after 7', 7), true, { retryAfterMs: 7000, code: '429' }],
    [
      tg(403, 'Forbidden: bot was blocked by the user'),
      false,
      { identityState: 'blocked', code: '403' },
    ],
    [tg(400, 'Bad Request: chat not found'), false, { code: '400' }],
    [tg(502, 'Bad Gateway'), true, { code: '502' }],
    [tg(401, 'Unauthorized'), false, { code: '401' }],
    [new Error('socket hang up'), true, {}],
  ])('%s', (err, retryable, opts) => {
    const mapped = toSendError(err);
    expect(mapped).toBeInstanceOf(ChannelSendError);
    expect(mapped.retryable).toBe(retryable);
    expect(mapped.opts).toEqual(opts);
  });
});
