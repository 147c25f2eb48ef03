import { DateTime } from 'luxon';
import cron from 'node-cron';

/** How far `next` and `latest` look before answering "never" (a 31 February schedule). */
const HORIZON_DAYS = 5 * 366;
const DAY_MS = 86_400_000;
/** Per-day slot lists kept for reuse; a simulated week or a catch-up revisits the same few days. */
const CACHED_DAYS = 16;

/**
 * What a local time that the clock shows twice (autumn fall-back) or never (spring-forward) means:
 * - `interval`: the expression is a rhythm on real time (a scan every 15 minutes). A repeated local time runs at
 *   both of its instants, a skipped one not at all, so the gaps between runs stay what the expression says.
 * - `wall-clock`: the expression is a time of day for people (a digest at 09:00). A repeated local time runs
 *   once, at its first instant; a skipped one runs when the clock jumps past it (02:30 → 03:30), so the day
 *   still gets its run.
 */
export type RepeatedTimes = 'interval' | 'wall-clock';

export interface CronSchedule {
  readonly expression: string;
  readonly timeZone: string;
  readonly kind: RepeatedTimes;
  /** The first schedule time strictly after `after`. */
  next(after: Date): Date | null;
  /** The newest schedule time in (`after`, `upTo`], or null. */
  latest(after: Date, upTo: Date): Date | null;
}

interface LocalDay {
  /** The day's date as UTC midnight: the wall-clock origin its local times count from. */
  wall: number;
  /** Offsets (ms to add to an instant to get wall time) at the start and the end of the day. */
  startOffset: number;
  endOffset: number;
  /** The first instant on `endOffset`, when the day has a change; else null. */
  change: number | null;
}

/**
 * Schedule times for a cron expression in a time zone. node-cron parses the expression (the same parser that
 * triggers it in production); the times are plain arithmetic on each local day's UTC offsets, so they are
 * computable for any instant (catch-up, `dlp-bot jobs`, the tests' simulated weeks) and cheap even for a
 * once-a-second expression. Like node-cron, day-of-month and day-of-week must both match.
 */
export function cronSchedule(expression: string, timeZone = 'UTC', kind: RepeatedTimes = 'interval'): CronSchedule {
  const fields = cron.parse(expression);
  const numbers = (values: readonly (number | string)[], what: string) =>
    values.map((v) => {
      if (typeof v !== 'number') throw new RangeError(`"${expression}": ${what} "${v}" is not supported here`);
      return v;
    });
  const sorted = (values: readonly number[]) => [...new Set(values)].sort((a, b) => a - b);
  const seconds = sorted(fields.second);
  const minutes = sorted(fields.minute);
  const hours = sorted(fields.hour);
  const days = new Set(numbers(fields.dayOfMonth, 'day of month'));
  const months = new Set(fields.month);
  // cron counts Sunday as 0 (and 7), like Date#getUTCDay.
  const weekdays = new Set(numbers(fields.dayOfWeek, 'day of week').map((d) => d % 7));
  if (!DateTime.now().setZone(timeZone).isValid) throw new RangeError(`unknown time zone "${timeZone}"`);
  // Wall-clock offsets within a day (ms after local midnight), in order.
  const timesOfDay: number[] = [];
  for (const h of hours)
    for (const m of minutes) for (const s of seconds) timesOfDay.push((h * 3600 + m * 60 + s) * 1000);

  const offsetAt = (instant: number) => DateTime.fromMillis(instant, { zone: timeZone }).offset * 60_000;
  const localDay = (wall: number): LocalDay => {
    const startOffset = offsetAt(wall - offsetAt(wall));
    const endOffset = offsetAt(wall + DAY_MS - offsetAt(wall + DAY_MS));
    if (startOffset === endOffset) return { wall, startOffset, endOffset, change: null };
    // The change instant, to the second: offsets only change on whole seconds.
    let lo = wall - startOffset;
    let hi = wall + DAY_MS - endOffset;
    while (hi - lo > 1000) {
      const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
      if (offsetAt(mid) === startOffset) lo = mid;
      else hi = mid;
    }
    return { wall, startOffset, endOffset, change: hi };
  };
  const matches = (wall: number) => {
    const date = new Date(wall);
    return days.has(date.getUTCDate()) && months.has(date.getUTCMonth() + 1) && weekdays.has(date.getUTCDay());
  };

  /** The instants a local time of day stands for: none, one, or (fall-back, `interval`) two. */
  const instantsOf = (day: LocalDay, time: number): number[] => {
    const wallTime = day.wall + time;
    if (day.change === null) return [wallTime - day.startOffset];
    const before = wallTime - day.startOffset;
    const after = wallTime - day.endOffset;
    const found = [...(before < day.change ? [before] : []), ...(after >= day.change ? [after] : [])];
    if (found.length === 0) return kind === 'interval' ? [] : [before]; // skipped: on after the jump
    return kind === 'interval' ? found : found.slice(0, 1);
  };

  const cache = new Map<number, number[]>();
  const slotsOf = (wall: number): number[] => {
    const cached = cache.get(wall);
    if (cached) return cached;
    const day = localDay(wall);
    const slots = sorted(timesOfDay.flatMap((time) => instantsOf(day, time)));
    if (cache.size >= CACHED_DAYS) cache.delete(cache.keys().next().value as number);
    cache.set(wall, slots);
    return slots;
  };
  /** UTC midnight of the local date `instant` falls on. */
  const wallDayOf = (instant: number) => {
    const local = instant + offsetAt(instant);
    return local - (((local % DAY_MS) + DAY_MS) % DAY_MS);
  };

  return {
    expression,
    timeZone,
    kind,
    next(after) {
      const from = after.getTime();
      // The day before too: a slot skipped forward past midnight belongs to it.
      for (let i = -1, wall = wallDayOf(from) - DAY_MS; i < HORIZON_DAYS; i += 1, wall += DAY_MS) {
        if (!matches(wall)) continue;
        const slot = slotsOf(wall).find((t) => t > from);
        if (slot !== undefined) return new Date(slot);
      }
      return null;
    },
    latest(after, upTo) {
      const floor = after.getTime();
      const to = upTo.getTime();
      const firstDay = wallDayOf(to) + DAY_MS;
      for (let wall = firstDay; wall > firstDay - HORIZON_DAYS * DAY_MS; wall -= DAY_MS) {
        // Local days never start more than a day and a half away from their UTC midnight.
        if (wall + 2 * DAY_MS < floor) return null;
        if (!matches(wall)) continue;
        const slot = slotsOf(wall).findLast((t) => t <= to);
        if (slot !== undefined) return slot > floor ? new Date(slot) : null;
      }
      return null;
    },
  };
}
