import { toGregorian, toJalaali } from 'jalaali-js';
import { isoToPersian, latinDigits, parsePersianDate, persianToIso } from '../lib/persianDate';

/**
 * The Reports page's date range: whole days, both ends included, as Gregorian `YYYY-MM-DD`
 * days in the browser's time zone. Shown and typed in the Gregorian or the Persian (Jalaali)
 * calendar; the API is asked for [start of the first day, start of the day after the last).
 */

export type CalendarKind = 'gregorian' | 'persian';
export type Preset = 'last7' | 'last30' | 'thisMonth';
export const PRESETS: readonly Preset[] = ['last7', 'last30', 'thisMonth'];

export interface DayRange {
  from: string;
  to: string;
}

/** The longest range the page asks for: a little over a year. */
export const MAX_DAYS = 366;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function parts(iso: string): [number, number, number] | null {
  const m = ISO_DAY.exec(iso);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  // 2025-02-30 rolls over to March: not a real day.
  return date.getUTCMonth() === mo - 1 && date.getUTCDate() === d ? [y, mo, d] : null;
}

export function isIsoDay(text: string): boolean {
  return parts(text) !== null;
}

/** The calendar day of an instant in the browser's time zone. */
export function localDay(at: Date): string {
  return `${pad(at.getFullYear(), 4)}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

export function addDays(iso: string, days: number): string {
  const p = parts(iso);
  if (!p) throw new RangeError(`not a day: ${iso}`);
  const d = new Date(Date.UTC(p[0], p[1] - 1, p[2] + days));
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** Days from `from` to `to`, both included (1 for a single day). */
export function daysIn(range: DayRange): number {
  const a = parts(range.from);
  const b = parts(range.to);
  if (!a || !b) return 0;
  return (
    Math.round((Date.UTC(b[0], b[1] - 1, b[2]) - Date.UTC(a[0], a[1] - 1, a[2])) / 86_400_000) + 1
  );
}

/** The first day of the month `today` is in, in that calendar. */
export function monthStart(today: string, calendar: CalendarKind): string {
  const p = parts(today);
  if (!p) throw new RangeError(`not a day: ${today}`);
  if (calendar === 'gregorian') return `${pad(p[0], 4)}-${pad(p[1])}-01`;
  const { jy, jm } = toJalaali(p[0], p[1], p[2]);
  const { gy, gm, gd } = toGregorian(jy, jm, 1);
  return `${pad(gy, 4)}-${pad(gm)}-${pad(gd)}`;
}

export function presetRange(preset: Preset, today: string, calendar: CalendarKind): DayRange {
  switch (preset) {
    case 'last7':
      return { from: addDays(today, -6), to: today };
    case 'last30':
      return { from: addDays(today, -29), to: today };
    case 'thisMonth':
      return { from: monthStart(today, calendar), to: today };
  }
}

/** Which preset a range is, if any (so the page can mark it as chosen). */
export function presetOf(range: DayRange, today: string, calendar: CalendarKind): Preset | null {
  return (
    PRESETS.find((p) => {
      const r = presetRange(p, today, calendar);
      return r.from === range.from && r.to === range.to;
    }) ?? null
  );
}

/** A day as the user reads it: `2025-03-21` or, in the Persian calendar, `1404/01/01`. */
export function formatDay(iso: string, calendar: CalendarKind): string {
  return calendar === 'persian' ? isoToPersian(iso) : iso;
}

/** What the user typed, in that calendar (Persian digits too), as a Gregorian day or null. */
export function parseDay(text: string, calendar: CalendarKind): string | null {
  if (calendar === 'persian') {
    const day = parsePersianDate(text);
    return day ? persianToIso(day) : null;
  }
  const latin = latinDigits(text).trim().replace(/\//g, '-');
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(latin);
  if (!m) return null;
  const iso = `${m[1]}-${pad(Number(m[2]))}-${pad(Number(m[3]))}`;
  return isIsoDay(iso) ? iso : null;
}

export type RangeProblem = 'invalid' | 'reversed' | 'tooLong';

export function checkRange(range: DayRange): RangeProblem | null {
  if (!isIsoDay(range.from) || !isIsoDay(range.to)) return 'invalid';
  if (range.from > range.to) return 'reversed';
  return daysIn(range) > MAX_DAYS ? 'tooLong' : null;
}

/**
 * The API's half-open window: local midnight of the first day to local midnight after the last,
 * as instants, so a day in Tehran is Tehran's day (and a DST change is a 23- or 25-hour day).
 */
export function rangeToWindow(range: DayRange): { from: string; to: string } {
  const start = parts(range.from);
  const end = parts(addDays(range.to, 1));
  if (!start || !end) throw new RangeError('not a range');
  return {
    from: new Date(start[0], start[1] - 1, start[2]).toISOString(),
    to: new Date(end[0], end[1] - 1, end[2]).toISOString(),
  };
}
