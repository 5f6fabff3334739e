import type { Locale } from '../api/types';
import type { en } from './en';

export type MessageKey = keyof typeof en;
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };
export type Entry = string | PluralForms;
export type Dictionary = Record<MessageKey, Entry>;
export type Vars = Record<string, string | number>;
export type Translate = (key: MessageKey, vars?: Vars) => string;

export const LOCALES: readonly Locale[] = ['en', 'fa', 'ru'];

/** BCP 47 tags for Intl: `fa-IR` selects the Persian (Solar Hijri) calendar and Persian digits. */
export const INTL_TAG: Record<Locale, string> = { en: 'en-US', fa: 'fa-IR', ru: 'ru-RU' };

export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', fa: 'فارسی', ru: 'Русский' };

export function isLocale(value: unknown): value is Locale {
  return value === 'en' || value === 'fa' || value === 'ru';
}

export function directionOf(locale: Locale): 'rtl' | 'ltr' {
  return locale === 'fa' ? 'rtl' : 'ltr';
}

const pluralRules = new Map<Locale, Intl.PluralRules>();
const numberFormats = new Map<Locale, Intl.NumberFormat>();

export function pluralCategory(locale: Locale, count: number): Intl.LDMLPluralRule {
  let rules = pluralRules.get(locale);
  if (!rules) {
    rules = new Intl.PluralRules(INTL_TAG[locale]);
    pluralRules.set(locale, rules);
  }
  return rules.select(count);
}

export function formatNumber(locale: Locale, n: number): string {
  let format = numberFormats.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(INTL_TAG[locale], { maximumFractionDigits: 2 });
    numberFormats.set(locale, format);
  }
  return format.format(n);
}

/** First-strong isolate … pop directional isolate (Unicode bidi isolation). */
export const isolate = (text: string) => `\u2068${text}\u2069`;

// Explicit direction controls (marks, embeddings, overrides, isolates, the Arabic letter mark).
const BIDI_CONTROL = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
const RTL_LETTER = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/;
const LTR_LETTER = /[A-Za-z\u00C0-\u024F\u0370-\u052F]/;

/**
 * Whether a value put into a sentence of this locale must be isolated: it carries direction
 * controls (an override would turn the rest of the sentence around), or letters of the other
 * direction (a Persian name in an English sentence, an English one in a Persian sentence).
 */
export function needsIsolation(value: string, locale: Locale): boolean {
  if (BIDI_CONTROL.test(value)) return true;
  return directionOf(locale) === 'rtl' ? LTR_LETTER.test(value) : RTL_LETTER.test(value);
}

/**
 * Replaces `{name}` placeholders; numbers are written in the locale's digits. Text values that
 * need it are isolated: a customer's name holding a right-to-left override (U+202E), or written
 * in the other direction, never turns the sentence around it.
 */
export function interpolate(template: string, locale: Locale, vars: Vars = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = vars[name];
    if (value === undefined) return whole;
    if (typeof value === 'number') return formatNumber(locale, value);
    return needsIsolation(value, locale) ? isolate(value) : value;
  });
}

export function translate(dict: Dictionary, locale: Locale, key: MessageKey, vars?: Vars): string {
  const entry = dict[key];
  if (typeof entry === 'string') return interpolate(entry, locale, vars);
  const count = typeof vars?.count === 'number' ? vars.count : 0;
  const form = entry[pluralCategory(locale, count)] ?? entry.other;
  return interpolate(form, locale, vars);
}

/** Joins names the way the language does ("A, B and C" / "A، B و C" / "A, B и C"). */
export function formatList(locale: Locale, items: string[]): string {
  return new Intl.ListFormat(INTL_TAG[locale], { style: 'long', type: 'conjunction' }).format(
    items.map((item) => (needsIsolation(item, locale) ? isolate(item) : item)),
  );
}

export function levelKey(level: number): 'level.0' | 'level.1' | 'level.2' | 'level.3' | 'level.4' {
  switch (Math.max(0, Math.min(4, Math.trunc(level)))) {
    case 1:
      return 'level.1';
    case 2:
      return 'level.2';
    case 3:
      return 'level.3';
    case 4:
      return 'level.4';
    default:
      return 'level.0';
  }
}
