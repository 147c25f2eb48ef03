import type { WorkingCalendar } from './calendar.js';
import { CALENDAR_HORIZON_DAYS, wallClockCalendar } from './calendar.js';
import { SEVERITIES, type Severity } from './incident.js';
import type { SlaPolicy } from './sla-policy.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** What a source's early write-back query needs: per severity the latest creation time that can be breached now. */
export interface BreachCutoffs {
  bySeverity: Partial<Record<Severity, Date>>;
  /** True when windows depend on the policy name, so the query must return it for the exact decision. */
  needsPolicy: boolean;
  /**
   * True when the cutoff is the rule itself (the 24×7 wall clock, no policy override at the source): every New
   * incident created at or before it is breached, so a query bounded by it exactly may return ids alone.
   */
  exact: boolean;
}

/**
 * The latest creation instant whose SLA window of `windowMs` working time has fully elapsed at `now` (its deadline
 * is at or before `now`), or null when none within the calendar's horizon has. Working time from t to now only
 * shrinks as t grows, so the answer is found by bisection over that elapsed-time function.
 */
export function latestBreachedCreation(calendar: WorkingCalendar, windowMs: number, now: Date): Date | null {
  const end = now.getTime();
  const elapsedEnough = (start: number) => calendar.workingTimeBetween(new Date(start), now) >= windowMs;
  // Working time never exceeds wall time, so nothing created after now − window can be breached.
  let high = end - Math.max(0, windowMs);
  if (elapsedEnough(high)) return new Date(high);
  let low = high;
  let step = Math.max(windowMs, HOUR_MS);
  do {
    high = low;
    low -= step;
    step *= 2;
    if (end - low > CALENDAR_HORIZON_DAYS * DAY_MS) return null;
  } while (!elapsedEnough(low));
  // Invariant: `low` is breached, `high` is not.
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (elapsedEnough(mid)) low = mid;
    else high = mid;
  }
  return new Date(low);
}

/**
 * Per severity, the latest creation time breached at `now` under the shortest window any rule gives it at `source`,
 * on the source's calendar: every breached incident was created at or before it, so a query bounded by it misses
 * none, and the exact decision per incident (its policy's window) is made on what it returns.
 */
export function breachCutoffs(policy: SlaPolicy, source: string, now: Date): BreachCutoffs {
  const calendar = policy.calendarFor(source);
  const bySeverity: Partial<Record<Severity, Date>> = {};
  for (const severity of SEVERITIES) {
    const windowMs = Math.round(policy.shortestWindowHours(source, severity) * HOUR_MS);
    const cutoff = latestBreachedCreation(calendar, windowMs, now);
    if (cutoff) bySeverity[severity] = cutoff;
  }
  const needsPolicy = policy.hasPolicyOverrides(source);
  return { bySeverity, needsPolicy, exact: calendar === wallClockCalendar && !needsPolicy };
}
