import { describe, expect, it } from 'vitest';
import type { Locale } from '../api/types';
import {
  INTL_TAG,
  LOCALES,
  directionOf,
  formatList,
  interpolate,
  levelKey,
  pluralCategory,
  translate,
} from './core';
import type { Entry, MessageKey } from './core';
import { DICTIONARIES } from './dictionaries';
import { en } from './en';

const keys = Object.keys(en) as MessageKey[];

function forms(entry: Entry): string[] {
  return typeof entry === 'string'
    ? [entry]
    : Object.values(entry).filter((v): v is string => typeof v === 'string');
}

function placeholders(entry: Entry): string[] {
  const names = new Set<string>();
  for (const form of forms(entry))
    for (const m of form.matchAll(/\{(\w+)\}/g)) names.add(m[1] ?? '');
  return [...names].sort();
}

describe('dictionaries', () => {
  it('has a good number of keys', () => {
    expect(keys.length).toBeGreaterThan(200);
  });

  for (const locale of LOCALES) {
    describe(locale, () => {
      const dict = DICTIONARIES[locale];

      it('has every key of the reference dictionary, and no others', () => {
        const missing = keys.filter((k) => !(k in dict));
        const extra = Object.keys(dict).filter((k) => !(k in en));
        expect(missing).toEqual([]);
        expect(extra).toEqual([]);
      });

      it('has no empty translation', () => {
        const empty = keys.filter(
          (k) => forms(dict[k]).some((f) => f.trim() === '') || forms(dict[k]).length === 0,
        );
        expect(empty).toEqual([]);
      });

      it('gives every plural entry each form the language needs', () => {
        const categories = new Intl.PluralRules(INTL_TAG[locale]).resolvedOptions()
          .pluralCategories;
        const incomplete = keys.filter((k) => {
          const entry = dict[k];
          return typeof entry !== 'string' && categories.some((c) => !entry[c]);
        });
        expect(incomplete).toEqual([]);
      });

      it('uses the same placeholders as English', () => {
        const mismatched = keys.filter(
          (k) => placeholders(dict[k]).join() !== placeholders(en[k]).join(),
        );
        expect(mismatched).toEqual([]);
      });

      it('is plural exactly where English is', () => {
        const mismatched = keys.filter((k) => typeof dict[k] !== typeof en[k]);
        expect(mismatched).toEqual([]);
      });
    });
  }

  it('translates Persian and Russian rather than copying English', () => {
    // Brand and technology names may stay as they are; everything else must differ.
    const allowedSame = new Set<MessageKey>([
      'app.name',
      'channel.sms',
      'channel.telegram',
      'channel.botframework',
      'contact.identity.telegram',
      'contact.identity.botframework',
      'error.withMessage',
      'notify.escalatedBody',
    ]);
    for (const locale of ['fa', 'ru'] as const) {
      const copied = keys.filter(
        (k) =>
          !allowedSame.has(k) && JSON.stringify(DICTIONARIES[locale][k]) === JSON.stringify(en[k]),
      );
      expect(copied, locale).toEqual([]);
    }
  });

  it('writes Persian with Persian letters (no Arabic yeh or kaf)', () => {
    const text = keys.flatMap((k) => forms(DICTIONARIES.fa[k])).join(' ');
    expect(text).not.toMatch(/[\u064A\u0643]/);
  });
});

describe('translate', () => {
  const t = (locale: Locale, key: MessageKey, vars?: Record<string, string | number>) =>
    translate(DICTIONARIES[locale], locale, key, vars);

  it('chooses Russian plural forms one / few / many', () => {
    expect(t('ru', 'list.count', { count: 1 })).toBe('1 диалог');
    expect(t('ru', 'list.count', { count: 2 })).toBe('2 диалога');
    expect(t('ru', 'list.count', { count: 4 })).toBe('4 диалога');
    expect(t('ru', 'list.count', { count: 5 })).toBe('5 диалогов');
    expect(t('ru', 'list.count', { count: 11 })).toBe('11 диалогов');
    expect(t('ru', 'list.count', { count: 21 })).toBe('21 диалог');
    expect(t('ru', 'list.count', { count: 22 })).toBe('22 диалога');
    expect(t('ru', 'time.minutes', { count: 25 })).toBe('25 минут');
    expect(t('ru', 'time.hours', { count: 3 })).toBe('3 часа');
    expect(t('ru', 'time.days', { count: 1 })).toBe('1 день');
  });

  it('chooses English singular and plural', () => {
    expect(t('en', 'list.count', { count: 1 })).toBe('1 conversation');
    expect(t('en', 'list.count', { count: 10000 })).toBe('10,000 conversations');
  });

  it('writes numbers in Persian digits', () => {
    expect(t('fa', 'list.count', { count: 12 })).toBe('۱۲ گفت‌وگو');
    expect(t('fa', 'level.short', { level: 3 })).toBe('سطح ۳');
  });

  it('leaves string variables as given and unknown placeholders untouched', () => {
    expect(interpolate('{name} / {missing}', 'en', { name: 'Ali 12' })).toBe('Ali 12 / {missing}');
  });

  it('isolates a name that would turn the sentence around it', () => {
    // A right-to-left override in a customer's name: isolated, it stays inside the name.
    expect(interpolate('{name} is typing…', 'en', { name: 'Eve\u202Eevil' })).toBe(
      '\u2068Eve\u202Eevil\u2069 is typing…',
    );
    // A name written in the other direction than the sentence.
    expect(interpolate('{name} is typing…', 'en', { name: 'سارا' })).toBe(
      '\u2068سارا\u2069 is typing…',
    );
    expect(interpolate('{name} در حال نوشتن است', 'fa', { name: 'Ali 12' })).toBe(
      '\u2068Ali 12\u2069 در حال نوشتن است',
    );
    // Same direction, no controls: nothing added.
    expect(interpolate('{name} در حال نوشتن است', 'fa', { name: 'سارا' })).toBe(
      'سارا در حال نوشتن است',
    );
    expect(formatList('en', ['Ann', 'س'])).toBe('Ann and \u2068س\u2069');
  });

  it('selects Intl plural categories per locale', () => {
    expect(pluralCategory('ru', 3)).toBe('few');
    expect(pluralCategory('ru', 7)).toBe('many');
    expect(pluralCategory('en', 1)).toBe('one');
  });

  it('joins names the way each language does', () => {
    expect(formatList('en', ['Ann', 'Bo', 'Cy'])).toBe('Ann, Bo, and Cy');
    expect(formatList('ru', ['Аня', 'Боря'])).toBe('Аня и Боря');
    expect(formatList('fa', ['علی', 'سارا'])).toContain('و');
  });

  it('knows which way each language is written', () => {
    expect(directionOf('fa')).toBe('rtl');
    expect(directionOf('en')).toBe('ltr');
    expect(directionOf('ru')).toBe('ltr');
  });

  it('clamps complaint levels to the ladder', () => {
    expect(levelKey(0)).toBe('level.0');
    expect(levelKey(3)).toBe('level.3');
    expect(levelKey(9)).toBe('level.4');
    expect(levelKey(-1)).toBe('level.0');
  });
});
