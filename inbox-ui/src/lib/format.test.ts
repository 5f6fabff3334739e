import { describe, expect, it } from 'vitest';
import { translate } from '../i18n/core';
import type { MessageKey, Vars } from '../i18n/core';
import { DICTIONARIES } from '../i18n/dictionaries';
import {
  avatarHue,
  elapsedParts,
  formatBirthday,
  formatBytes,
  formatDate,
  formatDurationLong,
  formatMessageTime,
  formatMoney,
  formatWaitingShort,
  initials,
  waitingUrgency,
} from './format';

const NOW = Date.parse('2024-03-20T12:00:00Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString();
const MIN = 60_000;
const tr = (locale: 'en' | 'fa' | 'ru') => (key: MessageKey, vars?: Vars) =>
  translate(DICTIONARIES[locale], locale, key, vars);

describe('waiting time', () => {
  it('splits elapsed time into the largest whole unit', () => {
    expect(elapsedParts(ago(30_000), NOW)).toEqual({ unit: 'now', count: 0 });
    expect(elapsedParts(ago(5 * MIN), NOW)).toEqual({ unit: 'minutes', count: 5 });
    expect(elapsedParts(ago(125 * MIN), NOW)).toEqual({ unit: 'hours', count: 2 });
    expect(elapsedParts(ago(3 * 24 * 60 * MIN + 5), NOW)).toEqual({ unit: 'days', count: 3 });
    expect(elapsedParts(ago(-5 * MIN), NOW)).toEqual({ unit: 'now', count: 0 });
  });

  it('is compact in every language', () => {
    expect(formatWaitingShort(ago(5 * MIN), NOW, tr('en'))).toBe('5m');
    expect(formatWaitingShort(ago(3 * 60 * MIN), NOW, tr('ru'))).toBe('3 ч');
    expect(formatWaitingShort(ago(2 * 24 * 60 * MIN), NOW, tr('fa'))).toBe('۲ روز');
    expect(formatWaitingShort(ago(10_000), NOW, tr('en'))).toBe('now');
    expect(formatWaitingShort(null, NOW, tr('en'))).toBe('');
  });

  it('uses full plural forms in the long form', () => {
    expect(formatDurationLong(ago(1 * MIN), NOW, tr('ru'))).toBe('1 минуту');
    expect(formatDurationLong(ago(3 * MIN), NOW, tr('ru'))).toBe('3 минуты');
    expect(formatDurationLong(ago(7 * MIN), NOW, tr('ru'))).toBe('7 минут');
    expect(formatDurationLong(ago(21 * 60 * MIN), NOW, tr('ru'))).toBe('21 час');
    expect(formatDurationLong(ago(10_000), NOW, tr('en'))).toBe('1 minute');
    expect(formatDurationLong(ago(2 * 24 * 60 * MIN), NOW, tr('en'))).toBe('2 days');
  });

  it('grades urgency at 15 minutes and at an hour', () => {
    expect(waitingUrgency(ago(5 * MIN), NOW)).toBe('fresh');
    expect(waitingUrgency(ago(20 * MIN), NOW)).toBe('warm');
    expect(waitingUrgency(ago(90 * MIN), NOW)).toBe('late');
    expect(waitingUrgency(null, NOW)).toBe('fresh');
  });
});

describe('dates and numbers', () => {
  it('shows Persian dates in the Solar Hijri calendar with Persian digits', () => {
    const text = formatDate('2024-03-20T12:00:00Z', 'fa');
    // 20 March 2024 is 1 Farvardin 1403.
    expect(text).toContain('۱۴۰۳');
    expect(text).toContain('فروردین');
    expect(text).not.toMatch(/[0-9]/);
  });

  it('formats birthdays without slipping a day across time zones', () => {
    expect(formatBirthday('1990-04-21', 'en')).toBe('April 21, 1990');
    expect(formatBirthday('1990-04-21', 'ru')).toContain('21 апреля 1990');
    expect(formatBirthday('not a date', 'en')).toBe('not a date');
  });

  it('shows the time of day for today and a date otherwise', () => {
    const localNoon = new Date(2024, 2, 20, 12, 0).getTime();
    const today = formatMessageTime(new Date(localNoon - 60 * MIN).toISOString(), 'en', localNoon);
    expect(today).toMatch(/^\d{2}:\d{2}/);
    const older = formatMessageTime('2022-01-05T10:00:00Z', 'en', localNoon);
    expect(older).toContain('2022');
  });

  it('formats money, sizes and initials', () => {
    expect(formatMoney('12345.5', 'en')).toBe('12,345.5');
    expect(formatMoney(1500, 'fa')).toBe('۱٬۵۰۰');
    expect(formatMoney('n/a', 'en')).toBe('n/a');
    expect(formatBytes(512, 'en')).toBe('512 B');
    expect(formatBytes(2048, 'en')).toBe('2 KB');
    expect(formatBytes(5 * 1024 * 1024, 'en')).toBe('5 MB');
    expect(initials('sara ahmadi')).toBe('SA');
    expect(initials('Борис')).toBe('Б');
    expect(initials('  ')).toBe('?');
  });

  it('gives a stable avatar hue', () => {
    expect(avatarHue('abc')).toBe(avatarHue('abc'));
    expect(avatarHue('abc')).toBeGreaterThanOrEqual(0);
    expect(avatarHue('abc')).toBeLessThan(360);
  });
});
