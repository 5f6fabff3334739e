import { describe, expect, it } from 'vitest';
import { cleanDeep, cleanText } from './clean';

describe('cleanText', () => {
  it.each([
    [
      'NUL, which the database cannot store, is removed',
      'order 77\u0000 is missing',
      'order 77 is missing',
    ],
    ['a lone high surrogate becomes U+FFFD', 'half an emoji \uD83D', 'half an emoji \uFFFD'],
    ['a lone low surrogate becomes U+FFFD', '\uDE00 tail', '\uFFFD tail'],
    ['Persian ZWNJ stays', 'می‌خواهم', 'می‌خواهم'],
    [
      'right-to-left marks and overrides stay (the app isolates them)',
      '\u200Fسلام\u202E',
      '\u200Fسلام\u202E',
    ],
    ['emoji stay whole', 'ok 👍🏽', 'ok 👍🏽'],
    ['tabs and newlines stay', 'a\tb\nc', 'a\tb\nc'],
    ['Cyrillic stays', 'Привет, ёжик', 'Привет, ёжик'],
  ])('%s', (_name, input, expected) => {
    expect(cleanText(input)).toBe(expected);
  });

  it('returns the very same string when nothing needs cleaning', () => {
    const clean = 'nothing to do here';
    expect(cleanText(clean)).toBe(clean);
  });
});

describe('cleanDeep', () => {
  it('cleans keys and values of nested objects and arrays, leaving other types alone', () => {
    expect(cleanDeep({ 'na\u0000me': ['a\u0000', 1, true, null, { x: '\uD800' }], n: 5 })).toEqual({
      name: ['a', 1, true, null, { x: '\uFFFD' }],
      n: 5,
    });
  });

  it('cleans the prototype-less objects that query-string parsers make', () => {
    const query = Object.assign(Object.create(null) as Record<string, unknown>, { q: 'a\u0000b' });
    expect(cleanDeep(query)).toEqual({ q: 'ab' });
  });

  it('keeps "__proto__" a plain key: it never becomes the prototype of the copy', () => {
    const hostile = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as object;
    const copy = cleanDeep(hostile) as Record<string, unknown>;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect((copy as { polluted?: unknown }).polluted).toBeUndefined();
    expect(Object.keys(copy)).toEqual(['__proto__', 'a']);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });
});
