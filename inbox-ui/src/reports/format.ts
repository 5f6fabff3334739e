import type { Locale } from '../api/types';
import { INTL_TAG } from '../i18n/core';

/**
 * Numbers of the Reports page in the reader's language: durations in the largest unit that keeps
 * them readable ("45 sec", "12.5 min", "3.2 hr", "2.1 days"), shares as percentages, money
 * amounts (the server's exact decimal strings) with grouping.
 */

const formats = new Map<string, Intl.NumberFormat>();
function format(locale: Locale, key: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const id = `${locale}|${key}`;
  let f = formats.get(id);
  if (!f) {
    f = new Intl.NumberFormat(INTL_TAG[locale], options);
    formats.set(id, f);
  }
  return f;
}

export function formatDuration(locale: Locale, seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  const unit = (u: 'second' | 'minute' | 'hour' | 'day', value: number) =>
    format(locale, u, {
      style: 'unit',
      unit: u,
      unitDisplay: 'short',
      maximumFractionDigits: u === 'second' ? 0 : 1,
    }).format(value);
  if (seconds < 90) return unit('second', seconds);
  if (seconds < 90 * 60) return unit('minute', seconds / 60);
  if (seconds < 48 * 3600) return unit('hour', seconds / 3600);
  return unit('day', seconds / 86_400);
}

export function formatPercent(locale: Locale, share: number | null): string {
  if (share === null || !Number.isFinite(share)) return '—';
  return format(locale, 'percent', { style: 'percent', maximumFractionDigits: 1 }).format(share);
}

export function formatAmount(locale: Locale, amount: string | number | null): string {
  if (amount === null) return '—';
  const n = typeof amount === 'number' ? amount : Number(amount);
  if (!Number.isFinite(n)) return String(amount);
  return format(locale, 'amount', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n);
}

export function formatCount(locale: Locale, n: number | null, digits = 0): string {
  if (n === null || !Number.isFinite(n)) return '—';
  return format(locale, `count${digits}`, { maximumFractionDigits: digits }).format(n);
}

/** An hour of the day as "09:00" in the locale's digits. */
export function formatHour(locale: Locale, hour: number): string {
  const two = format(locale, 'two', { minimumIntegerDigits: 2, useGrouping: false });
  return `${two.format(hour)}:${two.format(0)}`;
}
