import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createWorkingCalendar, NEVER_MS } from '../../../src/domain/calendar.js';
import { SEVERITIES } from '../../../src/domain/incident.js';
import { createSlaPolicy, SLA_STATES, slaTimes, stateAt } from '../../../src/domain/sla.js';
import { CalendarConfig, SlaConfig } from '../../../src/domain/sla-config.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NUM_RUNS = 100;

const ZONES = ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'UTC'] as const;
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
/** DST changes in the zones above; instants near them are where calendars go wrong. */
const TRANSITIONS = [
  '2026-03-29T01:00:00Z',
  '2026-10-25T01:00:00Z',
  '2026-03-08T07:00:00Z',
  '2026-11-01T06:00:00Z',
  '2026-04-04T15:00:00Z',
  '2026-10-03T15:30:00Z',
].map((iso) => Date.parse(iso));

const clock = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

// At least an hour a day keeps the largest duration below well within the scan horizon.
const workingHours = fc.oneof(
  fc
    .integer({ min: 0, max: 23 * 60 })
    .chain((start) => fc.integer({ min: start + 60, max: 24 * 60 }).map((end) => ({ start, end }))),
  fc.constantFrom({ start: 0, end: 24 * 60 }, { start: 60, end: 180 }, { start: 150, end: 17 * 60 }),
);

const instant = fc.oneof(
  fc.integer({ min: Date.parse('2025-06-01T00:00:00Z'), max: Date.parse('2027-06-01T00:00:00Z') }),
  fc.tuple(fc.constantFrom(...TRANSITIONS), fc.integer({ min: -2 * DAY, max: 2 * DAY })).map(([t, d]) => t + d),
);

const holiday = fc
  .integer({ min: Date.parse('2025-06-01T00:00:00Z') / DAY, max: Date.parse('2027-06-01T00:00:00Z') / DAY })
  .map((day) => new Date(day * DAY).toISOString().slice(0, 10));

const calendarConfig = fc.record({
  timeZone: fc.constantFrom(...ZONES),
  workingDays: fc.subarray([...WEEKDAYS], { minLength: 1 }),
  workingHours: workingHours.map(({ start, end }) => ({ start: clock(start), end: clock(end) })),
  holidays: fc.array(holiday, { maxLength: 15 }),
});

const calendar = calendarConfig.map((config) => createWorkingCalendar(CalendarConfig.parse(config)));
const roundTripDuration = fc.integer({ min: 0, max: 200 * HOUR });

describe('WorkingCalendar properties', () => {
  it('should measure back exactly the working time it added', () => {
    fc.assert(
      fc.property(calendar, instant, roundTripDuration, (cal, start, duration) => {
        const end = cal.addWorkingTime(new Date(start), duration);
        expect(end.getTime()).toBeLessThan(NEVER_MS);
        expect(cal.workingTimeBetween(new Date(start), end)).toBe(duration);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('should move the result forward (never back) as the duration grows', () => {
    fc.assert(
      fc.property(calendar, instant, roundTripDuration, roundTripDuration, (cal, start, d1, d2) => {
        const [shorter, longer] = d1 <= d2 ? [d1, d2] : [d2, d1];
        const first = cal.addWorkingTime(new Date(start), shorter).getTime();
        expect(first).toBeGreaterThanOrEqual(start);
        expect(cal.addWorkingTime(new Date(start), longer).getTime()).toBeGreaterThanOrEqual(first);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('should never count more than the elapsed time, and add up over consecutive spans', () => {
    fc.assert(
      fc.property(calendar, instant, instant, instant, (cal, x, y, z) => {
        const [a, b, c] = [x, y, z].sort((p, q) => p - q).map((t) => new Date(t)) as [Date, Date, Date];
        const ab = cal.workingTimeBetween(a, b);
        expect(ab).toBeGreaterThanOrEqual(0);
        expect(ab).toBeLessThanOrEqual(b.getTime() - a.getTime());
        expect(cal.workingTimeBetween(b, a)).toBe(0);
        expect(ab + cal.workingTimeBetween(b, c)).toBe(cal.workingTimeBetween(a, c));
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('should make a 24×7 calendar equal the wall clock in every zone', () => {
    const allDay = fc.constantFrom(...ZONES).map((timeZone) =>
      createWorkingCalendar(
        CalendarConfig.parse({
          timeZone,
          workingDays: [...WEEKDAYS],
          workingHours: { start: '00:00', end: '24:00' },
        }),
      ),
    );
    fc.assert(
      fc.property(allDay, instant, instant, fc.integer({ min: 0, max: 60 * DAY }), (cal, a, b, duration) => {
        expect(cal.addWorkingTime(new Date(a), duration).getTime()).toBe(a + duration);
        expect(cal.workingTimeBetween(new Date(a), new Date(b))).toBe(Math.max(0, b - a));
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

describe('stateAt properties', () => {
  const policy = fc
    .record({
      calendar: fc.option(calendarConfig, { nil: undefined }),
      dueSoonAt: fc.double({ min: 0.05, max: 0.95, noNaN: true }),
      escalateAt: fc.double({ min: 1.05, max: 5, noNaN: true }),
      hours: fc.record({ critical: fc.double({ min: 0.1, max: 72, noNaN: true }) }),
    })
    .map((sla) => createSlaPolicy(SlaConfig.parse(sla), []));

  it('should never move a state backwards as time advances', () => {
    fc.assert(
      fc.property(
        policy,
        fc.constantFrom(...SEVERITIES),
        instant,
        fc.integer({ min: -DAY, max: 60 * DAY }),
        fc.integer({ min: 0, max: 60 * DAY }),
        (slaPolicy, severity, created, offset, step) => {
          const times = slaTimes({ source: 's', severity, policy: null, createdAt: new Date(created) }, slaPolicy);
          expect(times.dueSoonAt < times.deadline && times.deadline < times.escalatesAt).toBe(true);
          const earlier = stateAt(times, new Date(created + offset));
          const later = stateAt(times, new Date(created + offset + step));
          expect(SLA_STATES.indexOf(later)).toBeGreaterThanOrEqual(SLA_STATES.indexOf(earlier));
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });
});
