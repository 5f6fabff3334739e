import { isValidJalaaliDate, toGregorian, toJalaali } from 'jalaali-js';

/**
 * Holidays are stored as Gregorian days (`YYYY-MM-DD`, CONTRACT); admins in Iran think of them in
 * the Persian (Jalaali) calendar. These convert between the two, reading Persian and
 * Arabic-Indic digits as well as Latin ones.
 */

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Persian (۰-۹) and Arabic-Indic (٠-٩) digits to Latin ones. */
export function latinDigits(text: string): string {
  return text
    .replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660));
}

export interface PersianDay {
  jy: number;
  jm: number;
  jd: number;
}

/** "1403/01/01", "۱۴۰۳-۱-۱" → the Persian day, or null when it is not a real date. */
export function parsePersianDate(text: string): PersianDay | null {
  const m = /^\s*(\d{3,4})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*$/.exec(latinDigits(text));
  if (!m) return null;
  const [jy, jm, jd] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return isValidJalaaliDate(jy, jm, jd) ? { jy, jm, jd } : null;
}

export function persianToIso(day: PersianDay): string {
  const { gy, gm, gd } = toGregorian(day.jy, day.jm, day.jd);
  return `${pad(gy, 4)}-${pad(gm)}-${pad(gd)}`;
}

/** A Gregorian `YYYY-MM-DD` as the Persian day it is, e.g. "1403/01/01". */
export function isoToPersian(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  const { jy, jm, jd } = toJalaali(Number(m[1]), Number(m[2]), Number(m[3]));
  return `${jy}/${pad(jm)}/${pad(jd)}`;
}

/** The Persian year a Gregorian instant falls in (in Tehran's calendar days, near enough). */
export function persianYearOf(date: Date): number {
  return toJalaali(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()).jy;
}

/**
 * Iran's Nowruz holidays of a Persian year: Farvardin 1–4 (the new year), 12 (Islamic Republic
 * Day) and 13 (Nature Day), as Gregorian days.
 */
export function nowruzHolidays(jy: number): string[] {
  return [1, 2, 3, 4, 12, 13].map((jd) => persianToIso({ jy, jm: 1, jd }));
}

/** Adds days to a sorted, de-duplicated holiday list. */
export function mergeHolidays(current: readonly string[], added: readonly string[]): string[] {
  return [...new Set([...current, ...added])].sort();
}
