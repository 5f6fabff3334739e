import { describe, expect, it } from 'vitest';
import { formatAmount, formatCount, formatDuration, formatHour, formatPercent } from './format';

describe('report number formats', () => {
  it('writes durations in a readable unit', () => {
    expect(formatDuration('en', 45)).toBe('45 sec');
    expect(formatDuration('en', 750)).toBe('12.5 min');
    expect(formatDuration('en', 3 * 3600 + 720)).toBe('3.2 hr');
    expect(formatDuration('en', 3 * 86_400)).toBe('3 days');
    expect(formatDuration('en', null)).toBe('—');
  });

  it('uses Persian digits in Persian and Russian units in Russian', () => {
    expect(formatDuration('fa', 45)).toMatch(/۴۵/);
    expect(formatDuration('ru', 750)).toMatch(/12,5\s*мин/);
    expect(formatHour('fa', 9)).toBe('۰۹:۰۰');
    expect(formatHour('en', 9)).toBe('09:00');
  });

  it('writes shares, amounts and counts', () => {
    expect(formatPercent('en', 0.955)).toBe('95.5%');
    expect(formatPercent('en', null)).toBe('—');
    expect(formatAmount('en', '1234.5')).toBe('1,234.50');
    expect(formatAmount('en', 'x')).toBe('x');
    expect(formatCount('en', 12345.678, 1)).toBe('12,345.7');
  });
});
