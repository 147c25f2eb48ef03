import { DateTime } from 'luxon';
import cron from 'node-cron';

/** How far ahead `nextSlot` looks before answering "never" (a 31 February schedule). */
const HORIZON_DAYS = 5 * 366;

export interface CronSchedule {
  readonly expression: string;
  readonly timeZone: string;
  /** The first schedule time strictly after `after`. */
  next(after: Date): Date | null;
}

/**
 * Schedule times for a cron expression in a time zone. node-cron parses the expression (the same parser that
 * triggers it in production) and luxon does the calendar work, so the times agree with node-cron's trigger
 * and are computable for any instant: catch-up, `dlp-bot jobs` and the tests' simulated weeks need that.
 * Like node-cron, day-of-month and day-of-week must both match. Around DST: a time skipped by
 * spring-forward runs at the jump; a time repeated by fall-back runs once, at its first occurrence.
 */
export function cronSchedule(expression: string, timeZone = 'UTC'): CronSchedule {
  const fields = cron.parse(expression);
  const numbers = (values: readonly (number | string)[], what: string) =>
    values.map((v) => {
      if (typeof v !== 'number') throw new RangeError(`"${expression}": ${what} "${v}" is not supported here`);
      return v;
    });
  const seconds = [...fields.second].sort((a, b) => a - b);
  const minutes = [...fields.minute].sort((a, b) => a - b);
  const hours = [...fields.hour].sort((a, b) => a - b);
  const days = new Set(numbers(fields.dayOfMonth, 'day of month'));
  const months = new Set(fields.month);
  // cron counts Sunday as 0 (and 7); luxon's weekday is 1 (Monday) … 7 (Sunday).
  const weekdays = new Set(numbers(fields.dayOfWeek, 'day of week').map((d) => (d === 0 ? 7 : d)));
  if (!DateTime.now().setZone(timeZone).isValid) throw new RangeError(`unknown time zone "${timeZone}"`);

  const matchesDay = (day: DateTime) => days.has(day.day) && months.has(day.month) && weekdays.has(day.weekday);

  return {
    expression,
    timeZone,
    next(after) {
      const from = after.getTime();
      let day = DateTime.fromMillis(from, { zone: timeZone }).startOf('day');
      for (let i = 0; i < HORIZON_DAYS; i += 1, day = day.plus({ days: 1 }).startOf('day')) {
        if (!matchesDay(day)) continue;
        for (const hour of hours) {
          for (const minute of minutes) {
            for (const second of seconds) {
              // luxon moves a local time that does not exist (spring-forward) to just after the jump.
              const at = day.set({ hour, minute, second, millisecond: 0 }).toMillis();
              if (at > from) return new Date(at);
            }
          }
        }
      }
      return null;
    },
  };
}

/** The newest schedule time in (`after`, `upTo`], or null; `after` null means "none before `upTo`" is asked. */
export function latestSlot(schedule: CronSchedule, after: Date, upTo: Date): Date | null {
  let found: Date | null = null;
  // Long outages of a frequent job: only the newest slot matters, so start close to `upTo`.
  const floor = Math.max(after.getTime(), upTo.getTime() - 32 * 86_400_000);
  for (let next = schedule.next(new Date(floor)); next && next <= upTo; next = schedule.next(next)) found = next;
  return found;
}
