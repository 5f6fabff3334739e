import { describe, expect, it } from 'vitest';
import {
  isoToPersian,
  latinDigits,
  mergeHolidays,
  nowruzHolidays,
  parsePersianDate,
  persianToIso,
} from './persianDate';

describe('Persian calendar days', () => {
  it.each([
    ['1403/01/01', '2024-03-20'],
    ['1404/01/01', '2025-03-21'],
    ['۱۴۰۲/۱۲/۲۹', '2024-03-19'],
    ['1403-12-30', '2025-03-20'],
    ['1405/1/13', '2026-04-02'],
  ])('%s is %s', (persian, iso) => {
    const day = parsePersianDate(persian);
    expect(day).not.toBeNull();
    expect(persianToIso(day!)).toBe(iso);
  });

  it('writes a stored day back in the Persian calendar', () => {
    expect(isoToPersian('2024-03-20')).toBe('1403/01/01');
    expect(isoToPersian('2025-03-20')).toBe('1403/12/30');
  });

  it('refuses days that do not exist and text that is not a date', () => {
    expect(parsePersianDate('1402/12/30')).toBeNull(); // 1402 is not a leap year
    expect(parsePersianDate('1403/13/01')).toBeNull();
    expect(parsePersianDate('1403/07/31')).toBeNull(); // Mehr has 30 days
    expect(parsePersianDate('tomorrow')).toBeNull();
  });

  it('reads Persian and Arabic-Indic digits', () => {
    expect(latinDigits('۱۴۰۳/٠١/٠١')).toBe('1403/01/01');
  });

  it('gives Nowruz as six Gregorian days: Farvardin 1-4, 12 and 13', () => {
    expect(nowruzHolidays(1405)).toEqual([
      '2026-03-21',
      '2026-03-22',
      '2026-03-23',
      '2026-03-24',
      '2026-04-01',
      '2026-04-02',
    ]);
  });

  it('merges holidays sorted and without duplicates', () => {
    expect(mergeHolidays(['2026-05-01', '2026-03-21'], ['2026-03-21', '2026-03-22'])).toEqual([
      '2026-03-21',
      '2026-03-22',
      '2026-05-01',
    ]);
  });
});
