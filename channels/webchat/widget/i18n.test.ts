import { describe, it, expect } from 'vitest';
import {
  DICTIONARIES,
  formatTime,
  intlTag,
  isRtl,
  LOCALES,
  normalizeLocale,
  resolveLocale,
  translator,
} from './i18n';

describe('dictionaries', () => {
  const english = Object.keys(DICTIONARIES.en).sort();

  it.each(LOCALES)('%s has exactly the English keys', (locale) => {
    expect(Object.keys(DICTIONARIES[locale]).sort()).toEqual(english);
  });

  it.each(LOCALES)('%s has no empty values', (locale) => {
    for (const [key, value] of Object.entries(DICTIONARIES[locale])) {
      expect(value.trim(), `${locale}.${key}`).not.toBe('');
    }
  });

  it.each(LOCALES)('%s keeps the same {placeholders}', (locale) => {
    const names = (s: string): string[] => (s.match(/\{\w+\}/g) ?? []).sort();
    for (const [key, value] of Object.entries(DICTIONARIES.en)) {
      const translated = DICTIONARIES[locale][key as keyof typeof DICTIONARIES.en];
      expect(names(translated), `${locale}.${key}`).toEqual(names(value));
    }
  });

  it('really translates Persian and Russian', () => {
    expect(DICTIONARIES.fa.send).not.toBe(DICTIONARIES.en.send);
    expect(DICTIONARIES.ru.send).not.toBe(DICTIONARIES.en.send);
    expect(DICTIONARIES.en.typing).toBe('Agent is typing…');
  });
});

describe('normalizeLocale', () => {
  it('accepts region tags and casing', () => {
    expect(normalizeLocale('fa-IR')).toBe('fa');
    expect(normalizeLocale('ru_RU')).toBe('ru');
    expect(normalizeLocale('EN')).toBe('en');
  });

  it('rejects unsupported or missing tags', () => {
    expect(normalizeLocale('de-DE')).toBeNull();
    expect(normalizeLocale('')).toBeNull();
    expect(normalizeLocale(undefined)).toBeNull();
  });
});

describe('resolveLocale', () => {
  it('prefers the data-locale attribute', () => {
    expect(resolveLocale({ attribute: 'ru', search: '?lang=fa', browser: 'en-US' })).toBe('ru');
  });

  it('falls back to ?lang= on the page', () => {
    expect(resolveLocale({ attribute: null, search: '?x=1&lang=fa', browser: 'ru' })).toBe('fa');
  });

  it('skips unsupported values on the way down', () => {
    expect(resolveLocale({ attribute: 'de', search: '?lang=xx', browser: 'ru-RU' })).toBe('ru');
  });

  it('defaults to English', () => {
    expect(resolveLocale({})).toBe('en');
    expect(resolveLocale({ browser: 'ja-JP' })).toBe('en');
  });
});

describe('translator', () => {
  it('fills placeholders and localises numbers', () => {
    expect(translator('en')('unread', { n: 3 })).toBe('Unread messages: 3');
    expect(translator('fa')('unread', { n: 3 })).toContain('۳');
    expect(translator('en')('contactSaved', { email: 'a@b.co' })).toContain('a@b.co');
  });

  it('leaves unknown placeholders visible', () => {
    expect(translator('en')('tooLong')).toContain('{max}');
  });
});

describe('direction and formatting', () => {
  it('only Persian is right-to-left', () => {
    expect(isRtl('fa')).toBe(true);
    expect(isRtl('en')).toBe(false);
    expect(isRtl('ru')).toBe(false);
    expect(intlTag('fa')).toBe('fa-IR');
  });

  it('shows Persian digits for fa and hour:minute for today', () => {
    const now = new Date('2024-05-01T15:00:00');
    const at = new Date('2024-05-01T09:07:00').toISOString();
    expect(formatTime(at, 'fa', now)).toMatch(/[۰-۹]/);
    expect(formatTime(at, 'en', now)).toMatch(/09:07/);
    expect(formatTime(at, 'ru', now)).toBe('09:07');
  });

  it('adds the date for older messages and tolerates bad input', () => {
    const now = new Date('2024-05-03T15:00:00');
    const at = new Date('2024-05-01T09:07:00').toISOString();
    expect(formatTime(at, 'en', now)).toMatch(/May/);
    expect(formatTime('not a date', 'en', now)).toBe('');
  });
});
