import type { Config } from '../config/schema.js';
import type { DeliverySummary } from '../delivery/deliver.js';
import type { SendQueue } from '../delivery/send-queue.js';
import { UTC_WEEKDAYS } from '../digest/post-digest.js';
import type { SlaPolicy } from '../domain/sla.js';
import { type CronSchedule, cronSchedule } from '../jobs/cron-times.js';
import type { Logger } from '../log.js';
import type { ActionTable } from '../ports/actions.js';
import type { ChatSurface, Clock, IncidentSource } from '../ports/index.js';
import type { ScanSummary } from '../scan/run-scan.js';
import type { Store } from '../store/index.js';
import { planPrune } from './prune-job.js';

export interface JobDeps {
  config: Config;
  store: Store;
  policy: SlaPolicy;
  sources: readonly IncidentSource[];
  surfaces: readonly ChatSurface[];
  queue: SendQueue;
  logger: Logger;
  /** The triage actions in effect, whose buttons notice cards carry. */
  actions: ActionTable;
  /** SLAs are judged at the clock's now, which for a caught-up run is later than its schedule time. */
  clock: Clock;
  /** Sends what the scan queued (cards, updates); the composition root's delivery. */
  deliver(options?: { skipSurfaces?: readonly string[] }): Promise<DeliverySummary | null>;
  /** Told once per slot: the scans of every source that ran together, merged (serve prints it). */
  onScan?(summary: ScanSummary): void;
  /** Told about each scan job's summary as it ends (a scan asked for by hand collects them). */
  scanned?(job: string, summary: ScanSummary): void;
}

/** The job name of a route's digest: `digest:<route name>`, routes without a name counting from 1. */
export const routeName = (route: Config['routes'][number], index: number) => route.name ?? `route-${index + 1}`;

export interface PlannedJob {
  name: string;
  description: string;
  schedule: CronSchedule;
  kind: 'scan' | 'notices' | 'digest' | 'prune';
  /** The source a scan job scans, or the route index a digest job posts for. */
  subject: string | number | null;
}

/**
 * Every scheduled job the config implies: a scan per enabled source (its own schedule or `scan.schedule`), the
 * escalation and reminder check, a digest per route that has one, at its time in the route's calendar zone, and the
 * store's retention prune when it is on.
 * Pure, so `dlp-bot jobs` can list them without starting anything.
 */
export function planJobs(config: Config): PlannedJob[] {
  const scans = config.sources
    .filter((s) => s.enabled)
    .map(
      (source): PlannedJob => ({
        name: `scan:${source.id}`,
        description: `Scan ${source.id} (${source.vendor}), post what changed, send escalations and reminders`,
        schedule: cronSchedule(source.schedule ?? config.scan.schedule, config.scan.timeZone ?? 'UTC', 'interval'),
        kind: 'scan',
        subject: source.id,
      }),
    );
  const notices: PlannedJob = {
    name: 'notices',
    description: 'Escalation posts and DMs, reminders before a breach, and same-day retries of failed digests',
    schedule: cronSchedule(config.notices.schedule, 'UTC', 'interval'),
    kind: 'notices',
    subject: null,
  };
  const digests = config.routes.flatMap((route, index): PlannedJob[] => {
    if (!(route.digest?.enabled ?? config.digest.enabled)) return [];
    const calendar = digestCalendar(config, index);
    const [hour, minute] = (route.digest?.time ?? config.digest.time).split(':').map(Number);
    return [
      {
        name: `digest:${routeName(route, index)}`,
        description: `Daily digest to ${describeChannels(route.channels)} on working days (${calendar.timeZone})`,
        // Working days go into the schedule so `dlp-bot jobs` shows the real next digest; holidays are
        // dates, not a weekly pattern, so the digest job itself skips those.
        schedule: cronSchedule(
          `${minute} ${hour} * * ${cronWeekdays(calendar.workingDays)}`,
          calendar.timeZone,
          'wall-clock',
        ),
        kind: 'digest',
        subject: index,
      },
    ];
  });
  return [...scans, notices, ...digests, ...planPrune(config)];
}

const CRON_WEEKDAY = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } as const;

/** `[mon, tue, sat]` → `1,2,6`: cron's day-of-week field. */
function cronWeekdays(days: readonly (keyof typeof CRON_WEEKDAY)[]): string {
  return [...new Set(days.map((day) => CRON_WEEKDAY[day]))].sort((a, b) => a - b).join(',');
}

export const digestCalendar = (config: Config, index: number) =>
  config.routes[index]?.calendar ?? config.sla.calendar ?? UTC_WEEKDAYS;

export function describeChannels(channels: Readonly<Record<string, readonly string[]>>): string {
  return Object.entries(channels)
    .map(([surface, ids]) => `${surface} ${ids.join(', ')}`)
    .join('; ');
}
