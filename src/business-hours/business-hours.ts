import { DateTime } from 'luxon';
import { z } from 'zod';

/**
 * Business hours as the `business_hours` table keeps them: weekly ranges in a time zone and
 * holidays. Pure arithmetic over instants, with luxon doing the time-zone work (DST included):
 * a range is wall-clock time on its day, so "09:00" is 09:00 in winter and in summer.
 *
 * - `day` 0–6 with 0 = Sunday; several ranges per day allowed.
 * - `close` "24:00" is the end of the day; a `close` at or before `open` runs past midnight
 *   into the next day (a night shift belongs to the day it starts on).
 * - a holiday (`YYYY-MM-DD`, local) cancels the ranges that start on that day.
 * - a time that does not exist on a spring-forward night moves forward with the clocks.
 */

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be HH:MM');

export const businessHoursSchema = z.object({
  timeZone: z
    .string()
    .refine((zone) => DateTime.local().setZone(zone).isValid, 'unknown time zone'),
  weekly: z.array(z.object({ day: z.number().int().min(0).max(6), open: clock, close: clock })),
  holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/)).default([]),
});

export type BusinessHours = z.infer<typeof businessHoursSchema>;

/** The calendar of a `business_hours` row, or undefined when it cannot be read. */
export function businessHoursFromRow(row: {
  timezone: string;
  weekly: unknown;
  holidays: unknown;
}): BusinessHours | undefined {
  const parsed = businessHoursSchema.safeParse({
    timeZone: row.timezone,
    weekly: row.weekly,
    holidays: row.holidays,
  });
  return parsed.success ? parsed.data : undefined;
}

interface Interval {
  start: DateTime;
  end: DateTime;
}

function at(day: DateTime, hhmm: string): DateTime {
  if (hhmm === '24:00') return day.plus({ days: 1 }).startOf('day');
  const [hour = 0, minute = 0] = hhmm.split(':').map(Number);
  return day.set({ hour, minute, second: 0, millisecond: 0 });
}

/** The open intervals that start on this local day. */
function intervalsOn(hours: BusinessHours, day: DateTime): Interval[] {
  if (hours.holidays.includes(day.toISODate() ?? '')) return [];
  const weekday = day.weekday % 7; // luxon: Monday 1 … Sunday 7
  return hours.weekly
    .filter((r) => r.day === weekday)
    .map((r) => {
      const start = at(day, r.open);
      let end = at(day, r.close);
      if (r.close !== '24:00' && r.close <= r.open) end = at(day.plus({ days: 1 }), r.close);
      return { start, end };
    })
    .filter((i) => i.end > i.start);
}

export function isOpen(hours: BusinessHours, instant: Date): boolean {
  const now = DateTime.fromJSDate(instant, { zone: hours.timeZone });
  const today = now.startOf('day');
  // Yesterday's night shift may still be running.
  for (const day of [today.minus({ days: 1 }), today])
    for (const { start, end } of intervalsOn(hours, day))
      if (start <= now && now < end) return true;
  return false;
}

/**
 * The first instant at or after `instant` when it is open (the instant itself when open now),
 * or null when nothing opens within `horizonDays` (no ranges, or a year of holidays).
 */
export function nextOpening(hours: BusinessHours, instant: Date, horizonDays = 400): Date | null {
  if (isOpen(hours, instant)) return instant;
  const now = DateTime.fromJSDate(instant, { zone: hours.timeZone });
  let day = now.startOf('day');
  for (let i = 0; i <= horizonDays; i++, day = day.plus({ days: 1 })) {
    const starts = intervalsOn(hours, day)
      .map((x) => x.start)
      .filter((s) => s >= now)
      .sort((a, b) => a.toMillis() - b.toMillis());
    if (starts[0]) return starts[0].toJSDate();
  }
  return null;
}
