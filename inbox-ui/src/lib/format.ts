import type { Locale } from '../api/types';
import { INTL_TAG, formatNumber } from '../i18n/core';
import type { Translate } from '../i18n/core';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export type Urgency = 'fresh' | 'warm' | 'late';

/** Whole minutes/hours/days elapsed since `since`, as the largest unit that is at least 1. */
export function elapsedParts(
  since: string | number | Date,
  now: number,
): { unit: 'now' | 'minutes' | 'hours' | 'days'; count: number } {
  const ms = Math.max(0, now - new Date(since).getTime());
  if (ms < MINUTE) return { unit: 'now', count: 0 };
  if (ms < HOUR) return { unit: 'minutes', count: Math.floor(ms / MINUTE) };
  if (ms < DAY) return { unit: 'hours', count: Math.floor(ms / HOUR) };
  return { unit: 'days', count: Math.floor(ms / DAY) };
}

/** Compact waiting time for list rows: "now", "5m", "3h", "2d" (localised). */
export function formatWaitingShort(since: string | null, now: number, t: Translate): string {
  if (!since) return '';
  const { unit, count } = elapsedParts(since, now);
  switch (unit) {
    case 'now':
      return t('time.now');
    case 'minutes':
      return t('time.minutesShort', { count });
    case 'hours':
      return t('time.hoursShort', { count });
    case 'days':
      return t('time.daysShort', { count });
  }
}

/** Full duration with the language's plural forms: "5 минут", "2 часа", "1 day". */
export function formatDurationLong(since: string, now: number, t: Translate): string {
  const { unit, count } = elapsedParts(since, now);
  switch (unit) {
    case 'now':
    case 'minutes':
      return t('time.minutes', { count: Math.max(1, count) });
    case 'hours':
      return t('time.hours', { count });
    case 'days':
      return t('time.days', { count });
  }
}

/** How worried to be about a customer who has waited this long for a reply. */
export function waitingUrgency(since: string | null, now: number): Urgency {
  if (!since) return 'fresh';
  const ms = now - new Date(since).getTime();
  if (ms >= HOUR) return 'late';
  if (ms >= 15 * MINUTE) return 'warm';
  return 'fresh';
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(locale: Locale, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(INTL_TAG[locale], options);
    dateFormats.set(key, format);
  }
  return format;
}

/** Time of day for today, else day and month (year when not this year); fa-IR uses the Solar Hijri calendar. */
export function formatMessageTime(iso: string, locale: Locale, now: number): string {
  const date = new Date(iso);
  const today = new Date(now);
  const sameDay = date.toDateString() === today.toDateString();
  if (sameDay) return dateFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(date);
  const sameYear =
    dateFormat(locale, { year: 'numeric' }).format(date) ===
    dateFormat(locale, { year: 'numeric' }).format(today);
  return dateFormat(
    locale,
    sameYear
      ? { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }
      : { year: 'numeric', month: 'short', day: 'numeric' },
  ).format(date);
}

export function formatDate(iso: string, locale: Locale): string {
  return dateFormat(locale, { dateStyle: 'medium' }).format(new Date(iso));
}

export function formatDateTime(iso: string, locale: Locale): string {
  return dateFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/**
 * Birthdays are calendar dates without a time zone ("1990-04-21"); formatting them at UTC noon
 * keeps the day from slipping across a time-zone boundary.
 */
export function formatBirthday(date: string, locale: Locale): string {
  const d = new Date(`${date.slice(0, 10)}T12:00:00Z`);
  if (Number.isNaN(d.getTime())) return date;
  return dateFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(d);
}

export function formatMoney(value: string | number, locale: Locale): string {
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? formatNumber(locale, n) : String(value);
}

export function formatBytes(bytes: number, locale: Locale): string {
  if (bytes < 1024) return `${formatNumber(locale, bytes)} B`;
  if (bytes < 1024 * 1024) return `${formatNumber(locale, Math.round(bytes / 102.4) / 10)} KB`;
  return `${formatNumber(locale, Math.round(bytes / (1024 * 102.4)) / 10)} MB`;
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const first = parts[0] ?? '';
  const last = parts.length > 1 ? (parts[parts.length - 1] ?? '') : '';
  const chars = [...first].slice(0, 1).concat([...last].slice(0, 1));
  return chars.join('').toLocaleUpperCase() || '?';
}

/** A stable hue per contact so avatars are tellable apart at a glance. */
export function avatarHue(seed: string): number {
  let h = 0;
  for (let i = 0; i < seed.length; i++) h = (h * 31 + seed.charCodeAt(i)) >>> 0;
  return h % 360;
}
