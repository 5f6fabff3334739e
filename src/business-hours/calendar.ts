import { DateTime, IANAZone } from 'luxon';

/** An open range on a weekday, in the calendar's time zone: day 0 = Sunday … 6 = Saturday. */
export interface WeeklyRange {
  day: number;
  /** "HH:MM", 24-hour. */
  open: string;
  /** "HH:MM", after `open`; "24:00" is the end of the day. */
  close: string;
}

export interface Calendar {
  timeZone: string;
  weekly: WeeklyRange[];
  /** Whole days closed, "YYYY-MM-DD" in the calendar's own zone. */
  holidays: string[];
}

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** How far ahead a due time is searched for (ten years of calendar days). */
const MAX_DAYS = 3660;

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

/** What is wrong with a calendar, for a 400 that names the field; empty when it is fine. */
export function calendarProblems(c: Calendar): string[] {
  const problems: string[] = [];
  if (!IANAZone.isValidZone(c.timeZone))
    problems.push(`timeZone: ${c.timeZone} is not a time zone`);
  c.weekly.forEach((r, i) => {
    if (!Number.isInteger(r.day) || r.day < 0 || r.day > 6)
      problems.push(`weekly.${i}.day: must be 0 (Sunday) to 6 (Saturday)`);
    if (!TIME.test(r.open) || r.open === '24:00') problems.push(`weekly.${i}.open: must be HH:MM`);
    if (!TIME.test(r.close)) problems.push(`weekly.${i}.close: must be HH:MM (24:00 allowed)`);
    else if (TIME.test(r.open) && minutesOf(r.close) <= minutesOf(r.open))
      problems.push(`weekly.${i}: close must be after open (split a range that passes midnight)`);
  });
  c.holidays.forEach((d, i) => {
    if (!DATE.test(d) || !DateTime.fromISO(d).isValid)
      problems.push(`holidays.${i}: must be a date YYYY-MM-DD`);
  });
  return problems;
}

/** The open intervals of one local day, as instants, sorted and merged. */
function dayIntervals(c: Calendar, day: DateTime): [number, number][] {
  if (c.holidays.includes(day.toISODate()!)) return [];
  const weekday = day.weekday % 7; // luxon: Monday 1 … Sunday 7
  const intervals = c.weekly
    .filter((r) => r.day === weekday)
    .map((r): [number, number] => {
      const at = (hhmm: string) => {
        const m = minutesOf(hhmm);
        // A wall time that does not exist (the hour skipped in spring) moves forward; one that
        // exists twice (autumn) is the first: luxon's rules, the same as the zone database.
        return day
          .set({ hour: Math.floor(m / 60) % 24, minute: m % 60, second: 0, millisecond: 0 })
          .plus({ days: m === 1440 ? 1 : 0 })
          .toMillis();
      };
      return [at(r.open), at(r.close)];
    })
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  const merged: [number, number][] = [];
  for (const iv of intervals) {
    const last = merged.at(-1);
    if (last && iv[0] <= last[1]) last[1] = Math.max(last[1], iv[1]);
    else merged.push([...iv]);
  }
  return merged;
}

/** Local days from the one holding `from`: their start instant and open intervals. */
function* days(c: Calendar, from: number): Generator<{ start: number; open: [number, number][] }> {
  let day = DateTime.fromMillis(from, { zone: c.timeZone }).startOf('day');
  for (let i = 0; i < MAX_DAYS; i++) {
    yield { start: day.toMillis(), open: dayIntervals(c, day) };
    day = day.plus({ days: 1 });
  }
}

export class NeverOpenError extends Error {
  constructor() {
    super('the business hours have no open time in the next ten years');
    this.name = 'NeverOpenError';
  }
}

/** When `seconds` of open time after `from` have passed. */
export function addBusinessSeconds(c: Calendar, from: Date, seconds: number): Date {
  let remaining = Math.max(0, seconds) * 1000;
  let cursor = from.getTime();
  if (remaining === 0) return new Date(cursor);
  for (const { open: intervals } of days(c, cursor)) {
    for (const [open, close] of intervals) {
      if (close <= cursor) continue;
      const start = Math.max(open, cursor);
      if (close - start >= remaining) return new Date(start + remaining);
      remaining -= close - start;
      cursor = close;
    }
  }
  throw new NeverOpenError();
}

/** Open time between two instants, in seconds (0 when `to` is not after `from`). */
export function businessSecondsBetween(c: Calendar, from: Date, to: Date): number {
  const a = from.getTime();
  const b = to.getTime();
  if (b <= a) return 0;
  let total = 0;
  for (const { start, open: intervals } of days(c, a)) {
    if (start >= b) break;
    for (const [open, close] of intervals)
      total += Math.max(0, Math.min(close, b) - Math.max(open, a));
  }
  return Math.floor(total / 1000);
}

export function isOpen(c: Calendar, at: Date): boolean {
  const t = at.getTime();
  const [today] = days(c, t);
  return (today?.open ?? []).some(([open, close]) => open <= t && t < close);
}

/** The next instant the business is open (`at` itself when open now); null when never. */
export function nextOpening(c: Calendar, at: Date): Date | null {
  const t = at.getTime();
  for (const { open: intervals } of days(c, t)) {
    for (const [open, close] of intervals) if (close > t) return new Date(Math.max(open, t));
  }
  return null;
}

/** Always open: the calendar of a policy without business hours. */
export const ALWAYS: Calendar = {
  timeZone: 'UTC',
  weekly: [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, open: '00:00', close: '24:00' })),
  holidays: [],
};
