import { describe, expect, it } from 'vitest';
import { businessHoursFromRow, isOpen, nextOpening, type BusinessHours } from './business-hours';

const weekdays = (open: string, close: string, days = [1, 2, 3, 4, 5]) =>
  days.map((day) => ({ day, open, close }));

const berlin: BusinessHours = {
  timeZone: 'Europe/Berlin',
  weekly: [...weekdays('09:00', '17:00'), { day: 0, open: '01:00', close: '03:30' }],
  holidays: ['2026-12-25'],
};

// Iran: Saturday to Wednesday 08:00–16:00, Thursday mornings, Friday closed; UTC+03:30, no DST.
const tehran: BusinessHours = {
  timeZone: 'Asia/Tehran',
  weekly: [
    ...weekdays('08:00', '16:00', [6, 0, 1, 2, 3]),
    { day: 4, open: '08:00', close: '12:00' },
  ],
  holidays: ['2026-03-21'],
};

const night: BusinessHours = {
  timeZone: 'Europe/Berlin',
  weekly: [
    { day: 5, open: '22:00', close: '06:00' },
    { day: 6, open: '00:00', close: '24:00' },
  ],
  holidays: [],
};

describe('isOpen', () => {
  it.each([
    // Europe/Berlin in winter (UTC+1) and summer (UTC+2): the same wall-clock hours.
    [berlin, '2026-03-27T08:00:00Z', true], // Fri 09:00 CET
    [berlin, '2026-03-27T07:59:59Z', false], // Fri 08:59:59 CET
    [berlin, '2026-03-27T15:59:59Z', true], // Fri 16:59:59 CET
    [berlin, '2026-03-27T16:00:00Z', false], // Fri 17:00 CET
    [berlin, '2026-03-30T06:59:59Z', false], // Mon 08:59:59 CEST
    [berlin, '2026-03-30T07:00:00Z', true], // Mon 09:00 CEST, after the clocks went forward
    [berlin, '2026-10-26T07:59:00Z', false], // Mon 08:59 CET, after they went back
    [berlin, '2026-10-26T08:00:00Z', true], // Mon 09:00 CET
    // The spring-forward night (Sun 29 March, 02:00 → 03:00): 01:00–03:30 lasts 1.5 hours.
    [berlin, '2026-03-29T00:00:00Z', true], // 01:00 CET
    [berlin, '2026-03-29T00:59:59Z', true], // 01:59:59 CET
    [berlin, '2026-03-29T01:00:00Z', true], // 03:00 CEST (02:00 never happened)
    [berlin, '2026-03-29T01:29:59Z', true], // 03:29:59 CEST
    [berlin, '2026-03-29T01:30:00Z', false], // 03:30 CEST
    [berlin, '2026-12-25T10:00:00Z', false], // a Friday, but a holiday
    // Asia/Tehran (UTC+03:30).
    [tehran, '2026-03-14T04:30:00Z', true], // Sat 08:00
    [tehran, '2026-03-14T04:29:59Z', false], // Sat 07:59:59
    [tehran, '2026-03-14T12:29:59Z', true], // Sat 15:59:59
    [tehran, '2026-03-19T08:30:00Z', false], // Thu 12:00
    [tehran, '2026-03-20T06:00:00Z', false], // Fri 09:30
    [tehran, '2026-03-21T06:00:00Z', false], // Sat, Nowruz holiday
    // A night shift runs into the next day; a whole day is 00:00–24:00.
    [night, '2026-03-27T21:00:00Z', true], // Fri 22:00 CET
    [night, '2026-03-28T04:59:59Z', true], // Sat 05:59:59 (Friday's shift, and Saturday's day)
    [night, '2026-03-28T22:59:59Z', true], // Sat 23:59:59 CET
    [night, '2026-03-28T23:00:00Z', false], // Sun 00:00
  ] as [BusinessHours, string, boolean][])('%#: %s → %s', (hours, instant, open) => {
    expect(isOpen(hours, new Date(instant))).toBe(open);
  });
});

describe('nextOpening', () => {
  it.each([
    [berlin, '2026-03-27T16:00:00Z', '2026-03-29T00:00:00.000Z'], // Fri evening → Sun 01:00 CET
    [berlin, '2026-03-29T02:00:00Z', '2026-03-30T07:00:00.000Z'], // → Mon 09:00 CEST
    [berlin, '2026-03-30T07:30:00Z', '2026-03-30T07:30:00.000Z'], // open now: now
    [berlin, '2026-12-24T17:00:00Z', '2026-12-27T00:00:00.000Z'], // Christmas skipped → Sun 01:00
    [tehran, '2026-03-20T06:00:00Z', '2026-03-22T04:30:00.000Z'], // Fri → Sun 08:00 (Sat is Nowruz)
    [tehran, '2026-03-19T09:00:00Z', '2026-03-22T04:30:00.000Z'], // Thu afternoon → Sun
    [tehran, '2026-03-15T02:00:00Z', '2026-03-15T04:30:00.000Z'], // Sun 05:30 → Sun 08:00
  ] as [BusinessHours, string, string][])('%#: after %s → %s', (hours, instant, next) => {
    expect(nextOpening(hours, new Date(instant))?.toISOString()).toBe(next);
  });

  it('is null when nothing ever opens', () => {
    const closed: BusinessHours = { timeZone: 'UTC', weekly: [], holidays: [] };
    expect(nextOpening(closed, new Date('2026-01-01T00:00:00Z'))).toBeNull();
  });
});

describe('businessHoursFromRow', () => {
  it('reads a row and refuses one it cannot make sense of', () => {
    expect(
      businessHoursFromRow({
        timezone: 'Asia/Tehran',
        weekly: [{ day: 6, open: '08:00', close: '16:00' }],
        holidays: [],
      }),
    ).toMatchObject({ timeZone: 'Asia/Tehran' });
    expect(
      businessHoursFromRow({ timezone: 'Mars/Olympus', weekly: [], holidays: [] }),
    ).toBeUndefined();
    expect(
      businessHoursFromRow({
        timezone: 'UTC',
        weekly: [{ day: 9, open: '8', close: 'x' }],
        holidays: [],
      }),
    ).toBeUndefined();
  });
});
