import { describe, expect, it } from 'vitest';
import { LOCALES, pluralCategory } from '../../i18n/core';
import { ADMIN_DICTIONARIES, adminEn, translateAdmin, type AdminKey } from './i18n';

const keys = Object.keys(adminEn) as AdminKey[];

describe('the settings sections’ texts', () => {
  it('exist in every language, with the plural forms each language needs', () => {
    for (const locale of LOCALES) {
      const dict = ADMIN_DICTIONARIES[locale];
      expect(Object.keys(dict).sort(), locale).toEqual([...keys].sort());
      for (const key of keys) {
        const entry = dict[key];
        if (typeof entry === 'string') continue;
        for (const n of [1, 2, 5, 21, 0])
          expect(
            entry[pluralCategory(locale, n)] ?? entry.other,
            `${locale} ${key} ${n}`,
          ).toBeTruthy();
      }
    }
  });

  it('are translated, not copied from English', () => {
    for (const locale of ['fa', 'ru'] as const) {
      const copied = keys.filter(
        (k) => JSON.stringify(ADMIN_DICTIONARIES[locale][k]) === JSON.stringify(adminEn[k]),
      );
      expect(copied, locale).toEqual([]);
    }
  });

  it('fill in numbers in the language’s digits and plural', () => {
    expect(translateAdmin('ru', 'webhooks.attempts', { count: 3 })).toBe('3 попытки');
    expect(translateAdmin('ru', 'webhooks.attempts', { count: 5 })).toBe('5 попыток');
    expect(translateAdmin('fa', 'hours.summary', { ranges: 12, holidays: 7 })).toBe(
      '۱۲ بازهٔ کاری در هفته · ۷ تعطیلی',
    );
  });
});
