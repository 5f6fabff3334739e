import type { WeeklyRange } from '../../api/ladder';
import type { Locale } from '../../api/types';

/** Days as the admin's week starts: Saturday in Persian, Monday in Russian, Sunday in English. */
export function weekOrder(locale: Locale): number[] {
  if (locale === 'fa') return [6, 0, 1, 2, 3, 4, 5];
  if (locale === 'ru') return [1, 2, 3, 4, 5, 6, 0];
  return [0, 1, 2, 3, 4, 5, 6];
}

/** 0 = Sunday … 6 = Saturday, in the locale's words (2024-01-07 was a Sunday). */
export function dayName(day: number, locale: Locale): string {
  const tag = locale === 'fa' ? 'fa-IR' : locale === 'ru' ? 'ru-RU' : 'en-US';
  return new Intl.DateTimeFormat(tag, { weekday: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(2024, 0, 7 + day)),
  );
}

export type Week = WeeklyRange[][];

export function toWeek(weekly: readonly WeeklyRange[]): Week {
  const week: Week = [[], [], [], [], [], [], []];
  for (const r of weekly) week[r.day]?.push({ ...r });
  for (const day of week) day.sort((a, b) => a.open.localeCompare(b.open));
  return week;
}

export function fromWeek(week: Week): WeeklyRange[] {
  return week.flatMap((ranges, day) => ranges.map((r) => ({ day, open: r.open, close: r.close })));
}

const range = (day: number, open: string, close: string): WeeklyRange => ({ day, open, close });

/** Common weeks, one click each. */
export const WEEK_PRESETS = {
  // Iran: Saturday to Wednesday, a short Thursday, Friday off.
  iran: [0, 1, 2, 3, 6].map((d) => range(d, '08:00', '16:00')).concat([range(4, '08:00', '12:00')]),
  // Russia: Monday to Friday, with a lunch break.
  russia: [1, 2, 3, 4, 5].flatMap((d) => [range(d, '09:00', '13:00'), range(d, '14:00', '18:00')]),
  // Monday to Friday, nine to five.
  weekdays: [1, 2, 3, 4, 5].map((d) => range(d, '09:00', '17:00')),
} satisfies Record<string, WeeklyRange[]>;
export type WeekPreset = keyof typeof WEEK_PRESETS;
