import { IANAZone } from 'luxon';
import type { CalendarConfig } from './sla-config.js';

export interface WorkingCalendar {
  /** The instant when `durationMs` of working time has elapsed after `start`. */
  addWorkingTime(start: Date, durationMs: number): Date;
  /** Working time in ms between a and b (0 when b <= a). */
  workingTimeBetween(a: Date, b: Date): number;
  /** e.g. "Mon–Fri 09:00–17:00 Europe/Berlin, 3 holidays" or "24×7 (wall clock)". */
  readonly description: string;
}

/** The latest instant a Date can hold; `addWorkingTime` answers it for "never" (see CALENDAR_HORIZON_DAYS). */
export const NEVER_MS = 8_640_000_000_000_000;

/**
 * How many local days one call scans before giving up, so every call terminates (holidays covering every working day,
 * absurd durations). Ten years holds the largest window the schema allows (8,760 h) escalated at 2× on a 40-hour week;
 * beyond it `addWorkingTime` answers NEVER_MS and `workingTimeBetween` stops counting.
 */
export const CALENDAR_HORIZON_DAYS = 3_653;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
// Keep a day of margin inside the Date range so the zone lookups below never see an invalid instant.
const LAST_DAY = NEVER_MS / DAY_MS - 2;
const FIRST_DAY = -LAST_DAY;
// Bounds the interval cache; a scan touches a few hundred distinct days, so this only trips on pathological use.
const CACHE_LIMIT = 50_000;
const WEEKDAYS: readonly CalendarConfig['workingDays'][number][] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const WEEKDAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

interface Interval {
  start: number;
  end: number;
}

export const wallClockCalendar: WorkingCalendar = Object.freeze({
  addWorkingTime: (start: Date, durationMs: number) =>
    new Date(Math.min(timeOf(start) + durationOf(durationMs), NEVER_MS)),
  workingTimeBetween: (a: Date, b: Date) => Math.max(0, timeOf(b) - timeOf(a)),
  description: '24×7 (wall clock)',
});

/**
 * Working days are numbered by their local calendar date (days since 1970-01-01), so weekdays and holidays need no
 * time-zone work; only each working day's opening and closing instants do, and those are cached per day.
 */
export function createWorkingCalendar(config: CalendarConfig): WorkingCalendar {
  const zone = IANAZone.create(config.timeZone);
  if (!zone.isValid) throw new RangeError(`unknown time zone "${config.timeZone}"`);
  const opensAt = minutesOf(config.workingHours.start);
  const closesAt = minutesOf(config.workingHours.end);
  if (!(opensAt < closesAt)) throw new RangeError('workingHours.start must be before workingHours.end');
  const weekdays = new Set(config.workingDays.map((day) => WEEKDAYS.indexOf(day)));
  const holidays = new Set(config.holidays.map((date) => Date.parse(`${date}T00:00:00Z`) / DAY_MS));
  const instantOf = createLocalTimeResolver(zone);
  const cache = new Map<number, Interval>();

  function workingInterval(day: number): Interval | undefined {
    if (!weekdays.has(weekdayOf(day)) || holidays.has(day)) return undefined;
    let interval = cache.get(day);
    if (interval === undefined) {
      if (cache.size >= CACHE_LIMIT) cache.clear();
      const start = instantOf(day * DAY_MS + opensAt * MINUTE_MS);
      interval = { start, end: Math.max(start, instantOf(day * DAY_MS + closesAt * MINUTE_MS)) };
      cache.set(day, interval);
    }
    return interval;
  }

  function addWorkingTime(start: Date, durationMs: number): Date {
    const from = timeOf(start);
    let remaining = durationOf(durationMs);
    if (remaining === 0) return new Date(from);
    if (remaining === Number.POSITIVE_INFINITY) return new Date(NEVER_MS);
    const firstDay = firstDayAround(from);
    const lastDay = Math.min(firstDay + CALENDAR_HORIZON_DAYS - 1, LAST_DAY);
    for (let day = firstDay; day <= lastDay; day++) {
      const interval = workingInterval(day);
      if (interval === undefined || interval.end <= from) continue;
      const begin = Math.max(interval.start, from);
      const available = interval.end - begin;
      if (remaining <= available) return new Date(begin + remaining);
      remaining -= available;
    }
    return new Date(NEVER_MS);
  }

  function workingTimeBetween(a: Date, b: Date): number {
    const from = timeOf(a);
    const to = timeOf(b);
    if (to <= from) return 0;
    const firstDay = firstDayAround(from);
    const lastDay = Math.min(Math.floor(to / DAY_MS) + 1, firstDay + CALENDAR_HORIZON_DAYS - 1, LAST_DAY);
    let total = 0;
    for (let day = firstDay; day <= lastDay; day++) {
      const interval = workingInterval(day);
      if (interval === undefined) continue;
      if (interval.start >= to) break;
      total += Math.max(0, Math.min(interval.end, to) - Math.max(interval.start, from));
    }
    return total;
  }

  return Object.freeze({ addWorkingTime, workingTimeBetween, description: describeCalendar(config) });
}

/**
 * Maps a local wall time (given as if it were UTC ms) to the first instant at which the zone's clock reads at least
 * that time. This fixes both DST cases the same way: a time skipped by spring-forward resolves to the moment of the
 * jump, a time repeated by fall-back to its first occurrence. Being monotonic, it keeps consecutive days contiguous,
 * which is what makes a 00:00–24:00 calendar equal the wall clock on 23- and 25-hour days.
 */
function createLocalTimeResolver(zone: IANAZone): (wallMs: number) => number {
  const offsetAt = (instant: number) => zone.offset(instant) * MINUTE_MS;
  const reads = (instant: number, offset: number) => offsetAt(instant) === offset;
  return (wallMs) => {
    // Offsets stay within ±14 h, so the offsets a day either side bracket every candidate instant.
    const before = offsetAt(wallMs - DAY_MS);
    const after = offsetAt(wallMs + DAY_MS);
    if (before === after && reads(wallMs - before, before)) return wallMs - before;
    const candidates = [wallMs - before, wallMs - after];
    const valid = candidates.filter((instant, i) => reads(instant, i === 0 ? before : after));
    if (valid.length > 0) return Math.min(...valid);
    // In a spring-forward gap: binary-search the instant of the jump, where the clock first passes wallMs.
    let low = Math.min(...candidates);
    let high = Math.max(...candidates);
    while (high - low > 1) {
      const mid = Math.floor((low + high) / 2);
      if (mid + offsetAt(mid) >= wallMs) high = mid;
      else low = mid;
    }
    return high;
  };
}

function describeCalendar(config: CalendarConfig): string {
  const holidays = new Set(config.holidays).size;
  const suffix = holidays === 0 ? '' : `, ${holidays} holiday${holidays === 1 ? '' : 's'}`;
  const { start, end } = config.workingHours;
  return `${describeWeekdays(config.workingDays)} ${start}–${end} ${config.timeZone}${suffix}`;
}

/** "Mon–Fri", "Mon, Wed, Fri", "Sun–Thu": runs of consecutive days, starting at the start of a run so weeks wrap. */
function describeWeekdays(days: readonly string[]): string {
  const isOn = WEEKDAYS.map((day) => days.includes(day));
  if (isOn.every(Boolean)) return 'Mon–Sun';
  const firstRunStart = isOn.findIndex((on, i) => on && !isOn[(i + 6) % 7]);
  const runs: string[] = [];
  for (let i = 0; i < 7; ) {
    let length = 0;
    while (i + length < 7 && isOn[(firstRunStart + i + length) % 7]) length++;
    if (length > 0) {
      const first = WEEKDAY_NAMES[(firstRunStart + i) % 7];
      runs.push(length === 1 ? `${first}` : `${first}–${WEEKDAY_NAMES[(firstRunStart + i + length - 1) % 7]}`);
    }
    i += Math.max(length, 1);
  }
  return runs.join(', ');
}

function minutesOf(clock: string): number {
  const [hours = Number.NaN, minutes = Number.NaN] = clock.split(':').map(Number);
  return hours * 60 + minutes;
}

/** Monday is 0; day 0 (1970-01-01) was a Thursday. */
function weekdayOf(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

/** A local date is at most one day either side of the UTC date, so scanning from the day before catches it. */
function firstDayAround(instant: number): number {
  return Math.max(Math.floor(instant / DAY_MS) - 1, FIRST_DAY);
}

function timeOf(date: Date): number {
  const time = date.getTime();
  if (Number.isNaN(time)) throw new RangeError('invalid date');
  return time;
}

/** Whole milliseconds, rounded up so the answer is never early; negative durations count as none. */
function durationOf(durationMs: number): number {
  if (Number.isNaN(durationMs)) throw new RangeError('durationMs must be a number');
  return Math.max(0, Math.ceil(durationMs));
}
