import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  CALENDAR_HORIZON_DAYS,
  createWorkingCalendar,
  NEVER_MS,
  wallClockCalendar,
} from '../../../src/domain/calendar.js';
import { CalendarConfig } from '../../../src/domain/sla-config.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (iso: string) => new Date(iso);

const calendarOf = (config: Partial<z.input<typeof CalendarConfig>> = {}) =>
  createWorkingCalendar(CalendarConfig.parse({ timeZone: 'Europe/Berlin', ...config }));

const ALL_DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

describe('wallClockCalendar', () => {
  it('should add plain elapsed time', () => {
    expect(wallClockCalendar.addWorkingTime(at('2026-03-07T23:30:00Z'), 2 * HOUR)).toEqual(at('2026-03-08T01:30:00Z'));
  });

  it('should measure plain elapsed time, and 0 when b is not after a', () => {
    const a = at('2026-03-07T10:00:00Z');
    const b = at('2026-03-09T10:00:00Z');
    expect(wallClockCalendar.workingTimeBetween(a, b)).toBe(2 * DAY);
    expect(wallClockCalendar.workingTimeBetween(b, a)).toBe(0);
    expect(wallClockCalendar.workingTimeBetween(a, a)).toBe(0);
  });

  it('should answer the latest Date instead of an invalid one for infinite or huge durations', () => {
    expect(wallClockCalendar.addWorkingTime(at('2026-03-07T10:00:00Z'), Number.POSITIVE_INFINITY).getTime()).toBe(
      NEVER_MS,
    );
    expect(wallClockCalendar.addWorkingTime(at('2026-03-07T10:00:00Z'), NEVER_MS).getTime()).toBe(NEVER_MS);
  });

  it('should reject NaN durations and invalid dates', () => {
    expect(() => wallClockCalendar.addWorkingTime(at('2026-03-07T10:00:00Z'), Number.NaN)).toThrow(RangeError);
    expect(() => wallClockCalendar.workingTimeBetween(new Date(Number.NaN), new Date())).toThrow(RangeError);
  });

  it('should describe itself as the wall clock', () => {
    expect(wallClockCalendar.description).toBe('24×7 (wall clock)');
  });
});

describe('createWorkingCalendar (Mon–Fri 09:00–17:00 Europe/Berlin)', () => {
  const office = calendarOf({ holidays: ['2026-04-03', '2026-04-06', '2026-05-01'] });

  it('should carry a 4 h window from Friday 16:00 over the weekend to Monday 12:00', () => {
    expect(office.addWorkingTime(at('2026-03-06T16:00:00+01:00'), 4 * HOUR)).toEqual(at('2026-03-09T12:00:00+01:00'));
  });

  it('should end at closing time rather than at the next opening when the window fills the day', () => {
    expect(office.addWorkingTime(at('2026-03-06T13:00:00+01:00'), 4 * HOUR)).toEqual(at('2026-03-06T17:00:00+01:00'));
  });

  it('should start the clock on the next working day when created on a holiday', () => {
    // Good Friday and Easter Monday are holidays; the weekend lies between them.
    expect(office.addWorkingTime(at('2026-04-03T10:00:00+02:00'), 2 * HOUR)).toEqual(at('2026-04-07T11:00:00+02:00'));
  });

  it('should start the clock at opening when created before opening', () => {
    expect(office.addWorkingTime(at('2026-03-10T07:30:00+01:00'), HOUR)).toEqual(at('2026-03-10T10:00:00+01:00'));
  });

  it('should start the clock the next morning when created after closing', () => {
    expect(office.addWorkingTime(at('2026-03-10T18:00:00+01:00'), HOUR)).toEqual(at('2026-03-11T10:00:00+01:00'));
  });

  it('should skip the weekend when measuring working time', () => {
    const fridayNoon = at('2026-03-06T12:00:00+01:00');
    const mondayNoon = at('2026-03-09T12:00:00+01:00');
    expect(office.workingTimeBetween(fridayNoon, mondayNoon)).toBe(8 * HOUR);
    expect(office.workingTimeBetween(at('2026-03-07T09:00:00+01:00'), at('2026-03-08T17:00:00+01:00'))).toBe(0);
  });

  it('should count no time on a holiday', () => {
    expect(office.workingTimeBetween(at('2026-05-01T00:00:00+02:00'), at('2026-05-02T00:00:00+02:00'))).toBe(0);
    expect(office.workingTimeBetween(at('2026-04-30T00:00:00+02:00'), at('2026-05-01T00:00:00+02:00'))).toBe(8 * HOUR);
  });

  it('should return the start itself for a zero duration, even out of hours', () => {
    const saturday = at('2026-03-07T03:00:00+01:00');
    expect(office.addWorkingTime(saturday, 0)).toEqual(saturday);
    expect(office.addWorkingTime(saturday, -HOUR)).toEqual(saturday);
  });

  it('should describe days, hours, zone and the number of holidays', () => {
    expect(office.description).toBe('Mon–Fri 09:00–17:00 Europe/Berlin, 3 holidays');
  });

  it('should reject an unknown time zone and empty working hours', () => {
    const valid = CalendarConfig.parse({ timeZone: 'UTC' });
    expect(() => createWorkingCalendar({ ...valid, timeZone: 'Mars/Olympus' })).toThrow(RangeError);
    expect(() => createWorkingCalendar({ ...valid, workingHours: { start: '17:00', end: '09:00' } })).toThrow(
      RangeError,
    );
  });
});

describe('createWorkingCalendar edge cases', () => {
  it('should treat "24:00" as the end of the local day', () => {
    const evenings = calendarOf({ timeZone: 'UTC', workingHours: { start: '20:00', end: '24:00' } });
    expect(evenings.addWorkingTime(at('2026-03-06T23:00:00Z'), 2 * HOUR)).toEqual(at('2026-03-09T21:00:00Z'));
  });

  it('should describe runs of days, wrapping round the week, and a single holiday', () => {
    const sunToThu = calendarOf({ timeZone: 'Asia/Jerusalem', workingDays: ['thu', 'sun', 'mon', 'tue', 'wed'] });
    expect(sunToThu.description).toBe('Sun–Thu 09:00–17:00 Asia/Jerusalem');
    const scattered = calendarOf({ workingDays: ['mon', 'wed', 'fri', 'sat'], holidays: ['2026-12-25'] });
    expect(scattered.description).toBe('Mon, Wed, Fri–Sat 09:00–17:00 Europe/Berlin, 1 holiday');
    expect(calendarOf({ workingDays: [...ALL_DAYS], workingHours: { start: '00:00', end: '24:00' } }).description).toBe(
      'Mon–Sun 00:00–24:00 Europe/Berlin',
    );
  });

  it('should answer NEVER_MS when holidays cover every working day within the horizon', () => {
    const mondays = Array.from({ length: 600 }, (_, week) =>
      new Date(Date.UTC(2026, 2, 9) + week * 7 * DAY).toISOString().slice(0, 10),
    );
    const onlyHolidayMondays = calendarOf({ workingDays: ['mon'], holidays: mondays });
    expect(onlyHolidayMondays.addWorkingTime(at('2026-03-07T10:00:00Z'), HOUR).getTime()).toBe(NEVER_MS);
    // Mondays past the listed holidays count again, so the same calendar still works for a start beyond them.
    expect(onlyHolidayMondays.addWorkingTime(at('2037-12-01T00:00:00Z'), HOUR).getTime()).toBeLessThan(NEVER_MS);
  });

  it('should answer NEVER_MS for durations beyond the horizon instead of scanning forever', () => {
    const office = calendarOf();
    expect(office.addWorkingTime(at('2026-03-07T10:00:00Z'), 1e15).getTime()).toBe(NEVER_MS);
    expect(office.addWorkingTime(at('2026-03-07T10:00:00Z'), Number.POSITIVE_INFINITY).getTime()).toBe(NEVER_MS);
    expect(office.addWorkingTime(new Date(NEVER_MS), HOUR).getTime()).toBe(NEVER_MS);
  });

  it('should stop counting working time at the horizon', () => {
    const always = calendarOf({
      timeZone: 'UTC',
      workingDays: [...ALL_DAYS],
      workingHours: { start: '00:00', end: '24:00' },
    });
    const a = at('2000-01-01T00:00:00Z');
    const counted = always.workingTimeBetween(a, at('2100-01-01T00:00:00Z'));
    expect(counted).toBe((CALENDAR_HORIZON_DAYS - 1) * DAY);
    expect(always.workingTimeBetween(a, new Date(NEVER_MS))).toBe(counted);
  });

  it('should reject NaN durations and invalid dates', () => {
    const office = calendarOf();
    expect(() => office.addWorkingTime(at('2026-03-07T10:00:00Z'), Number.NaN)).toThrow(RangeError);
    expect(() => office.addWorkingTime(new Date(Number.NaN), HOUR)).toThrow(RangeError);
  });
});

/** Each change day is a Sunday; `saturday` is 16:00 local on the day before, in the old offset. */
const DST_CHANGES = [
  {
    zone: 'Europe/Berlin',
    day: '2026-03-29',
    hours: 23,
    midnight: '2026-03-29T00:00:00+01:00',
    next: '2026-03-30T00:00:00+02:00',
    saturday: '2026-03-28T16:00:00+01:00',
    sundayTen: '2026-03-29T10:00:00+02:00',
  },
  {
    zone: 'Europe/Berlin',
    day: '2026-10-25',
    hours: 25,
    midnight: '2026-10-25T00:00:00+02:00',
    next: '2026-10-26T00:00:00+01:00',
    saturday: '2026-10-24T16:00:00+02:00',
    sundayTen: '2026-10-25T10:00:00+01:00',
  },
  {
    zone: 'America/New_York',
    day: '2026-03-08',
    hours: 23,
    midnight: '2026-03-08T00:00:00-05:00',
    next: '2026-03-09T00:00:00-04:00',
    saturday: '2026-03-07T16:00:00-05:00',
    sundayTen: '2026-03-08T10:00:00-04:00',
  },
  {
    zone: 'America/New_York',
    day: '2026-11-01',
    hours: 25,
    midnight: '2026-11-01T00:00:00-04:00',
    next: '2026-11-02T00:00:00-05:00',
    saturday: '2026-10-31T16:00:00-04:00',
    sundayTen: '2026-11-01T10:00:00-05:00',
  },
] as const;

describe.each(DST_CHANGES)('DST change $day in $zone', (change) => {
  const nineToFive = calendarOf({ timeZone: change.zone, workingDays: [...ALL_DAYS] });
  const always = calendarOf({
    timeZone: change.zone,
    workingDays: [...ALL_DAYS],
    workingHours: { start: '00:00', end: '24:00' },
  });

  it('should keep a 09:00–17:00 day at 8 h', () => {
    expect(nineToFive.workingTimeBetween(at(change.midnight), at(change.next))).toBe(8 * HOUR);
  });

  it('should resume at 09:00 local time in the new offset', () => {
    expect(nineToFive.addWorkingTime(at(change.saturday), 2 * HOUR)).toEqual(at(change.sundayTen));
  });

  it(`should count the ${change.hours} h day fully on a 24×7 calendar`, () => {
    expect(always.workingTimeBetween(at(change.midnight), at(change.next))).toBe(change.hours * HOUR);
  });

  it('should match the wall clock across the change on a 24×7 calendar', () => {
    const start = at(change.saturday);
    expect(always.addWorkingTime(start, 30 * HOUR)).toEqual(new Date(start.getTime() + 30 * HOUR));
    expect(always.addWorkingTime(at(change.midnight), change.hours * HOUR)).toEqual(at(change.next));
  });
});

describe('working hours that contain the DST change', () => {
  const nightShift = (workingHours: { start: string; end: string }) =>
    calendarOf({ timeZone: 'America/New_York', workingDays: [...ALL_DAYS], workingHours });

  it('should count real elapsed time between local opening and closing (1 h in spring, 3 h in autumn)', () => {
    const shift = nightShift({ start: '01:00', end: '03:00' });
    expect(shift.workingTimeBetween(at('2026-03-08T00:00:00-05:00'), at('2026-03-09T00:00:00-04:00'))).toBe(HOUR);
    expect(shift.workingTimeBetween(at('2026-11-01T00:00:00-04:00'), at('2026-11-02T00:00:00-05:00'))).toBe(3 * HOUR);
  });

  it('should open at the moment of the jump when the opening time is skipped', () => {
    const shift = nightShift({ start: '02:30', end: '17:00' });
    // 02:30 does not exist on 2026-03-08; the clock first reads past it at 03:00 EDT (07:00Z).
    expect(shift.addWorkingTime(at('2026-03-08T00:00:00-05:00'), HOUR)).toEqual(at('2026-03-08T08:00:00Z'));
  });

  it('should open at the first occurrence when the opening time is repeated', () => {
    const shift = nightShift({ start: '01:30', end: '17:00' });
    expect(shift.addWorkingTime(at('2026-11-01T00:00:00-04:00'), HOUR)).toEqual(at('2026-11-01T02:30:00-04:00'));
  });

  it.each([
    { zone: 'Europe/Berlin', start: '02:30', midnight: '2026-03-29T00:00:00+01:00', opens: '2026-03-29T01:00:00Z' },
    { zone: 'Europe/Berlin', start: '02:30', midnight: '2026-10-25T00:00:00+02:00', opens: '2026-10-25T00:30:00Z' },
    {
      zone: 'Australia/Lord_Howe',
      start: '02:15',
      midnight: '2026-10-04T00:00:00+10:30',
      opens: '2026-10-03T15:30:00Z',
    },
    {
      zone: 'Australia/Lord_Howe',
      start: '01:45',
      midnight: '2026-04-05T00:00:00+11:00',
      opens: '2026-04-04T14:45:00Z',
    },
  ])('should open $zone at $start on the change day when the clock first reads it ($opens)', (c) => {
    const shift = calendarOf({
      timeZone: c.zone,
      workingDays: [...ALL_DAYS],
      workingHours: { start: c.start, end: '12:00' },
    });
    expect(shift.addWorkingTime(at(c.midnight), 1)).toEqual(new Date(at(c.opens).getTime() + 1));
  });

  it('should follow Lord Howe Island’s 30-minute DST on a 24×7 calendar', () => {
    const always = calendarOf({
      timeZone: 'Australia/Lord_Howe',
      workingDays: [...ALL_DAYS],
      workingHours: { start: '00:00', end: '24:00' },
    });
    expect(always.workingTimeBetween(at('2026-04-05T00:00:00+11:00'), at('2026-04-06T00:00:00+10:30'))).toBe(
      24.5 * HOUR,
    );
    expect(always.workingTimeBetween(at('2026-10-04T00:00:00+10:30'), at('2026-10-05T00:00:00+11:00'))).toBe(
      23.5 * HOUR,
    );
  });
});
