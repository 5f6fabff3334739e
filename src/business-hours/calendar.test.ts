import { describe, expect, it } from 'vitest';
import {
  ALWAYS,
  addBusinessSeconds,
  businessSecondsBetween,
  calendarProblems,
  isOpen,
  nextOpening,
  type Calendar,
} from './calendar';

const weekdays = (days: number[], open: string, close: string) =>
  days.map((day) => ({ day, open, close }));

// Berlin and New York: Monday to Friday 09:00–17:00.
const berlin: Calendar = {
  timeZone: 'Europe/Berlin',
  weekly: weekdays([1, 2, 3, 4, 5], '09:00', '17:00'),
  holidays: ['2026-12-25', '2027-01-01'],
};
const newYork: Calendar = { ...berlin, timeZone: 'America/New_York', holidays: [] };
// Iran: Saturday to Wednesday 08:00–16:00, Thursday 08:00–12:00, Friday closed; Nowruz 1405.
const tehran: Calendar = {
  timeZone: 'Asia/Tehran',
  weekly: [
    ...weekdays([6, 0, 1, 2, 3], '08:00', '16:00'),
    { day: 4, open: '08:00', close: '12:00' },
  ],
  holidays: ['2026-03-21', '2026-03-22', '2026-03-23', '2026-03-24', '2026-04-01', '2026-04-02'],
};
// Moscow: Monday to Friday, split day 09:00–13:00 and 14:00–18:00.
const moscow: Calendar = {
  timeZone: 'Europe/Moscow',
  weekly: [
    ...weekdays([1, 2, 3, 4, 5], '09:00', '13:00'),
    ...weekdays([1, 2, 3, 4, 5], '14:00', '18:00'),
  ],
  holidays: [],
};
// Every day, all day, in Berlin: wall-clock days of 23 and 25 hours at the DST changes.
const berlinAllDay: Calendar = {
  timeZone: 'Europe/Berlin',
  weekly: weekdays([0, 1, 2, 3, 4, 5, 6], '00:00', '24:00'),
  holidays: [],
};

const due = (c: Calendar, from: string, minutes: number) =>
  addBusinessSeconds(c, new Date(from), minutes * 60).toISOString();

describe('addBusinessSeconds', () => {
  it.each([
    // [name, calendar, from (UTC), minutes, due (UTC)]
    ['inside a day', berlin, '2026-06-10T08:00:00Z', 60, '2026-06-10T09:00:00.000Z'],
    [
      'before opening starts at opening',
      berlin,
      '2026-06-10T05:00:00Z',
      30,
      '2026-06-10T07:30:00.000Z',
    ],
    [
      'Friday afternoon runs into Monday',
      berlin,
      '2026-06-12T14:00:00Z',
      120,
      '2026-06-15T08:00:00.000Z',
    ],
    [
      '40 open hours cross a week',
      berlin,
      '2026-06-10T07:00:00Z',
      40 * 60,
      '2026-06-16T15:00:00.000Z',
    ],
    [
      'over Christmas and the year end',
      berlin,
      '2026-12-24T15:00:00Z',
      120,
      '2026-12-28T09:00:00.000Z',
    ],
    ['New Year is a holiday too', berlin, '2026-12-31T15:30:00Z', 60, '2027-01-04T08:30:00.000Z'],
    // Berlin switches to summer time on 29 March 2026: Monday 30 opens at 07:00 UTC.
    [
      'Berlin across spring forward',
      berlin,
      '2026-03-27T15:00:00Z',
      120,
      '2026-03-30T08:00:00.000Z',
    ],
    // …and back on 25 October: Monday 26 opens at 08:00 UTC.
    ['Berlin across fall back', berlin, '2026-10-23T14:00:00Z', 120, '2026-10-26T09:00:00.000Z'],
    [
      'New York across spring forward (8 March)',
      newYork,
      '2026-03-06T21:30:00Z',
      60,
      '2026-03-09T13:30:00.000Z',
    ],
    [
      'New York across fall back (1 November)',
      newYork,
      '2026-10-30T20:00:00Z',
      120,
      '2026-11-02T15:00:00.000Z',
    ],
    // The lost hour: 00:30 + 3 h of open time is 04:30 local on 29 March.
    [
      'a 23-hour day counts real time',
      berlinAllDay,
      '2026-03-28T23:30:00Z',
      180,
      '2026-03-29T02:30:00.000Z',
    ],
    [
      'a 25-hour day counts real time',
      berlinAllDay,
      '2026-10-24T22:30:00Z',
      180,
      '2026-10-25T01:30:00.000Z',
    ],
    // Tehran (UTC+03:30 all year since 2022). Wednesday 15:00 local + 2 h → Thursday 09:00.
    [
      'Tehran: into the Thursday half day',
      tehran,
      '2026-06-10T11:30:00Z',
      120,
      '2026-06-11T05:30:00.000Z',
    ],
    // Thursday 11:00 + 2 h: one hour Thursday, Friday closed, one hour Saturday.
    [
      'Tehran: Friday is the weekend',
      tehran,
      '2026-06-11T07:30:00Z',
      120,
      '2026-06-13T05:30:00.000Z',
    ],
    // Friday 20 March 2026 14:00 local; Nowruz 21–24 March closed: Wednesday 25 March 09:00.
    ['Tehran: Nowruz', tehran, '2026-03-20T10:30:00Z', 60, '2026-03-25T05:30:00.000Z'],
    // Moscow (UTC+3): the lunch break does not count. 12:00 + 2 h → 15:00.
    ['Moscow: split day', moscow, '2026-06-10T09:00:00Z', 120, '2026-06-10T12:00:00.000Z'],
    ['Moscow: Saturday and Sunday', moscow, '2026-06-12T14:30:00Z', 60, '2026-06-15T06:30:00.000Z'],
    [
      'always open is wall-clock time',
      ALWAYS,
      '2026-06-12T14:00:00Z',
      90,
      '2026-06-12T15:30:00.000Z',
    ],
  ])('%s', (_name, calendar, from, minutes, expected) => {
    expect(due(calendar, from, minutes)).toBe(expected);
  });

  it('gives `from` itself for zero minutes', () => {
    expect(due(berlin, '2026-06-13T10:00:00Z', 0)).toBe('2026-06-13T10:00:00.000Z');
  });

  it('says when a calendar never opens', () => {
    expect(() => due({ ...berlin, weekly: [] }, '2026-06-10T08:00:00Z', 1)).toThrow(/no open time/);
  });
});

describe('businessSecondsBetween', () => {
  it.each([
    ['within a day', berlin, '2026-06-10T08:00:00Z', '2026-06-10T09:30:00Z', 90],
    ['over a night', berlin, '2026-06-10T14:00:00Z', '2026-06-11T08:00:00Z', 120],
    ['over a weekend', berlin, '2026-06-12T14:00:00Z', '2026-06-15T08:00:00Z', 120],
    ['closed the whole time', berlin, '2026-06-13T08:00:00Z', '2026-06-14T20:00:00Z', 0],
    ['the lunch break', moscow, '2026-06-10T09:30:00Z', '2026-06-10T11:30:00Z', 60],
    ['backwards is nothing', berlin, '2026-06-10T09:00:00Z', '2026-06-10T08:00:00Z', 0],
  ])('%s', (_name, calendar, from, to, minutes) => {
    expect(businessSecondsBetween(calendar, new Date(from), new Date(to))).toBe(minutes * 60);
  });

  it('is the inverse of addBusinessSeconds', () => {
    for (const from of ['2026-03-27T15:00:00Z', '2026-10-23T14:00:00Z', '2026-06-11T07:30:00Z']) {
      for (const calendar of [berlin, tehran, moscow]) {
        const end = addBusinessSeconds(calendar, new Date(from), 7_200);
        expect(businessSecondsBetween(calendar, new Date(from), end)).toBe(7_200);
      }
    }
  });
});

describe('isOpen and nextOpening', () => {
  it('knows open and closed times, holidays included', () => {
    expect(isOpen(berlin, new Date('2026-06-10T08:00:00Z'))).toBe(true);
    expect(isOpen(berlin, new Date('2026-06-10T15:00:00Z'))).toBe(false);
    expect(isOpen(berlin, new Date('2026-12-25T10:00:00Z'))).toBe(false);
    expect(isOpen(tehran, new Date('2026-06-12T06:00:00Z'))).toBe(false); // Friday
  });

  it('finds the next opening', () => {
    expect(nextOpening(berlin, new Date('2026-06-12T16:00:00Z'))?.toISOString()).toBe(
      '2026-06-15T07:00:00.000Z',
    );
    expect(nextOpening(berlin, new Date('2026-06-10T08:00:00Z'))?.toISOString()).toBe(
      '2026-06-10T08:00:00.000Z',
    );
    expect(nextOpening({ ...berlin, weekly: [] }, new Date())).toBeNull();
  });
});

describe('calendarProblems', () => {
  it('names what is wrong', () => {
    expect(
      calendarProblems({
        timeZone: 'Mars/Olympus',
        weekly: [
          { day: 7, open: '9:00', close: '17:00' },
          { day: 1, open: '18:00', close: '09:00' },
        ],
        holidays: ['2026-02-30', 'tomorrow'],
      }),
    ).toEqual([
      'timeZone: Mars/Olympus is not a time zone',
      'weekly.0.day: must be 0 (Sunday) to 6 (Saturday)',
      'weekly.0.open: must be HH:MM',
      'weekly.1: close must be after open (split a range that passes midnight)',
      'holidays.0: must be a date YYYY-MM-DD',
      'holidays.1: must be a date YYYY-MM-DD',
    ]);
    expect(calendarProblems(tehran)).toEqual([]);
  });
});
