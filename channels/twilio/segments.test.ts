import { describe, expect, it } from 'vitest';
import { smsSegments } from './segments';

describe('smsSegments', () => {
  it.each([
    // text, encoding, units, segments, remaining
    ['', 'GSM-7', 0, 0, 160],
    ['Hello', 'GSM-7', 5, 1, 155],
    ['a'.repeat(160), 'GSM-7', 160, 1, 0],
    ['a'.repeat(161), 'GSM-7', 161, 2, 145],
    ['a'.repeat(306), 'GSM-7', 306, 2, 0],
    ['a'.repeat(307), 'GSM-7', 307, 3, 152],
    // Extension characters take two septets each.
    ['€'.repeat(80), 'GSM-7', 160, 1, 0],
    ['{}[]~^|\\', 'GSM-7', 16, 1, 144],
    // 76 pairs fill 152 of the first part's 153; the 77th moves whole to the second.
    ['€'.repeat(81), 'GSM-7', 162, 2, 143],
    // An escape pair is never split: 152 septets, then € does not fit in the one left.
    [`${'a'.repeat(152)}€${'a'.repeat(10)}`, 'GSM-7', 164, 2, 141],
    ['Привет', 'UCS-2', 6, 1, 64],
    ['سلام، سفارش من کجاست؟', 'UCS-2', 21, 1, 49],
    ['я'.repeat(70), 'UCS-2', 70, 1, 0],
    ['я'.repeat(71), 'UCS-2', 71, 2, 63],
    ['я'.repeat(134), 'UCS-2', 134, 2, 0],
    // One Persian or Russian letter makes the whole text UCS-2.
    [`${'a'.repeat(100)}ж`, 'UCS-2', 101, 2, 33],
    // An emoji is two UTF-16 units, and never split across parts.
    ['👍', 'UCS-2', 2, 1, 68],
    [`${'a'.repeat(66)}👍`, 'UCS-2', 68, 1, 2],
    [`${'a'.repeat(66)}👍${'a'.repeat(10)}`, 'UCS-2', 78, 2, 55],
    // A curly quote is not GSM-7.
    ['it’s', 'UCS-2', 4, 1, 66],
  ])('%j → %s, %i units, %i segments, %i left', (text, encoding, units, segments, remaining) => {
    expect(smsSegments(text)).toMatchObject({ encoding, units, segments, remaining });
  });

  it('names the characters that forced UCS-2', () => {
    expect(smsSegments('Order #12 — ok 👍 ok —').unicodeCharacters).toEqual(['—', '👍']);
    expect(smsSegments('plain').unicodeCharacters).toEqual([]);
  });

  it('agrees with the fake Twilio on the Persian fixture (97 characters, 2 segments)', () => {
    const body =
      'سلام، سفارش شماره ۴۵۱۲ من هنوز نرسیده است. لطفاً بررسی کنید و به من خبر بدهید که کی می‌رسد. ممنون';
    expect(smsSegments(body)).toMatchObject({ encoding: 'UCS-2', segments: 2 });
  });
});
