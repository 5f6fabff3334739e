import { describe, expect, it } from 'vitest';
import {
  addDays,
  checkRange,
  daysIn,
  formatDay,
  monthStart,
  parseDay,
  presetOf,
  presetRange,
  rangeToWindow,
} from './dateRange';

describe('report date ranges', () => {
  it('adds days across months, years and a leap day', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addDays('2025-01-01', -1)).toBe('2024-12-31');
    expect(() => addDays('2025-02-30', 1)).toThrow(RangeError);
  });

  it('counts days with both ends included', () => {
    expect(daysIn({ from: '2025-01-01', to: '2025-01-01' })).toBe(1);
    expect(daysIn({ from: '2024-01-01', to: '2024-12-31' })).toBe(366);
  });

  it('gives the presets', () => {
    expect(presetRange('last7', '2025-03-05', 'gregorian')).toEqual({
      from: '2025-02-27',
      to: '2025-03-05',
    });
    expect(presetRange('last30', '2025-03-05', 'gregorian')).toEqual({
      from: '2025-02-04',
      to: '2025-03-05',
    });
    expect(presetRange('thisMonth', '2025-03-05', 'gregorian')).toEqual({
      from: '2025-03-01',
      to: '2025-03-05',
    });
  });

  it('starts "this month" on the 1st of the Persian month in the Persian calendar', () => {
    // 2025-03-05 is 1403/12/15: Esfand began on 2025-02-19.
    expect(monthStart('2025-03-05', 'persian')).toBe('2025-02-19');
    // 2025-03-21 is 1404/01/01, Nowruz: the month begins that day.
    expect(presetRange('thisMonth', '2025-03-21', 'persian')).toEqual({
      from: '2025-03-21',
      to: '2025-03-21',
    });
    expect(presetRange('last7', '2025-03-21', 'persian')).toEqual(
      presetRange('last7', '2025-03-21', 'gregorian'),
    );
  });

  it('recognises a preset range and no other', () => {
    expect(presetOf({ from: '2025-02-27', to: '2025-03-05' }, '2025-03-05', 'gregorian')).toBe(
      'last7',
    );
    expect(presetOf({ from: '2025-02-19', to: '2025-03-05' }, '2025-03-05', 'persian')).toBe(
      'thisMonth',
    );
    expect(presetOf({ from: '2025-02-19', to: '2025-03-05' }, '2025-03-05', 'gregorian')).toBe(
      null,
    );
  });

  it('shows and reads days in either calendar', () => {
    expect(formatDay('2025-03-21', 'persian')).toBe('1404/01/01');
    expect(formatDay('2025-03-21', 'gregorian')).toBe('2025-03-21');
    expect(parseDay('۱۴۰۴/۰۱/۰۱', 'persian')).toBe('2025-03-21');
    expect(parseDay('1404/13/01', 'persian')).toBe(null);
    expect(parseDay('2025-3-1', 'gregorian')).toBe('2025-03-01');
    expect(parseDay('2025/02/29', 'gregorian')).toBe(null);
    expect(parseDay('yesterday', 'gregorian')).toBe(null);
  });

  it('finds what is wrong with a range', () => {
    expect(checkRange({ from: '2025-01-01', to: '2025-01-31' })).toBe(null);
    expect(checkRange({ from: '2025-02-01', to: '2025-01-31' })).toBe('reversed');
    expect(checkRange({ from: '2024-01-01', to: '2025-01-01' })).toBe('tooLong');
    expect(checkRange({ from: '2025-01-xx', to: '2025-01-31' })).toBe('invalid');
  });

  it('asks the API for local midnight to the local midnight after the last day', () => {
    const w = rangeToWindow({ from: '2025-01-01', to: '2025-01-31' });
    expect(new Date(w.from).getTime()).toBe(new Date(2025, 0, 1).getTime());
    expect(new Date(w.to).getTime()).toBe(new Date(2025, 1, 1).getTime());
  });
});
