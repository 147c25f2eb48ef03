import type { Config } from '../config/schema.js';
import { type DigestOutcome, postDigests, UTC_WEEKDAYS } from '../digest/post-digest.js';
import type { SlaPolicy } from '../domain/sla.js';
import { type CronSchedule, cronSchedule } from '../jobs/cron-times.js';
import type { JobSpec } from '../jobs/runner.js';
import type { Logger } from '../log.js';
import { sendNotices } from '../notices/send-notices.js';
import type { DeliverySummary } from '../notify/deliver.js';
import { createRouter } from '../notify/routes.js';
import type { SendQueue } from '../notify/send-queue.js';
import type { ChatSurface, Clock, IncidentSource } from '../ports.js';
import { runScan, type ScanSummary } from '../scan/run-scan.js';
import type { Store } from '../store/index.js';

export interface JobDeps {
  config: Config;
  store: Store;
  policy: SlaPolicy;
  sources: readonly IncidentSource[];
  surfaces: readonly ChatSurface[];
  queue: SendQueue;
  logger: Logger;
  /** SLAs are judged at the clock's now, which for a caught-up run is later than its schedule time. */
  clock: Clock;
  /** Sends what the scan queued (cards, updates); the composition root's delivery. */
  deliver(): Promise<DeliverySummary | null>;
  /** Told about each finished scan (serve prints a summary line). */
  onScan?(summary: ScanSummary): void;
}

/** The job name of a route's digest: `digest:<route name>`, routes without a name counting from 1. */
export const routeName = (route: Config['routes'][number], index: number) => route.name ?? `route-${index + 1}`;

export interface PlannedJob {
  name: string;
  description: string;
  schedule: CronSchedule;
  kind: 'scan' | 'notices' | 'digest';
  /** The source a scan job scans, or the route index a digest job posts for. */
  subject: string | number | null;
}

/**
 * Every scheduled job the config implies: a scan per enabled source (its own schedule or `scan.schedule`), the
 * escalation and reminder check, and a digest per route that has one, at its time in the route's calendar zone.
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
    description: 'Escalation posts and DMs, and reminders before a breach',
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
        schedule: cronSchedule(`${minute} ${hour} * * *`, calendar.timeZone, 'wall-clock'),
        kind: 'digest',
        subject: index,
      },
    ];
  });
  return [...scans, notices, ...digests];
}

const digestCalendar = (config: Config, index: number) =>
  config.routes[index]?.calendar ?? config.sla.calendar ?? UTC_WEEKDAYS;

/** The runnable jobs: `planJobs` with the work attached. Scans also deliver and check notices straight after. */
export function buildJobs(deps: JobDeps): JobSpec[] {
  const { config } = deps;
  const info = new Map(deps.sources.map((s) => [s.id, { displayName: s.displayName, capabilities: s.capabilities }]));
  const notices = (now: Date) =>
    sendNotices(
      {
        store: deps.store,
        policy: deps.policy,
        surfaces: deps.surfaces,
        sourceInfo: (id) => info.get(id) ?? null,
        identity: config.identity,
        escalation: config.escalation,
        reminders: config.reminders,
        queue: deps.queue,
        logger: deps.logger,
      },
      now,
    );
  const router = createRouter(config.routes, deps.surfaces);
  return planJobs(config).flatMap((job): JobSpec[] => {
    const { name, description, schedule } = job;
    if (job.kind === 'scan') {
      const source = deps.sources.find((s) => s.id === job.subject);
      if (!source) return [];
      return [
        {
          name,
          description,
          schedule,
          runAtStart: true,
          async run({ logger }) {
            const summary = await runScan(
              { store: deps.store, sources: [source], policy: deps.policy, logger, options: config.scan },
              deps.clock.now(),
            );
            await deps.deliver();
            const sent = await notices(deps.clock.now());
            deps.onScan?.(summary);
            const t = summary.totals;
            return `${t.fetched} fetched, ${t.breached} breached, ${t.escalated} escalated, ${sent.reminders} reminders${t.failed ? ', source failed' : ''}`;
          },
        },
      ];
    }
    if (job.kind === 'notices') {
      return [
        {
          name,
          description,
          schedule,
          async run() {
            const s = await notices(deps.clock.now());
            return `${s.escalationPosts} escalation posts, ${s.escalationDms} escalation DMs, ${s.reminders} reminders, ${s.snoozed} snoozed`;
          },
        },
      ];
    }
    const index = Number(job.subject);
    const route = config.routes[index];
    if (!route) return [];
    const calendar = digestCalendar(config, index);
    return [
      {
        name,
        description,
        schedule,
        async run({ logger }) {
          const outcome: DigestOutcome = await postDigests(
            { ...deps, logger, channels: route.channels, calendar, router },
            deps.clock.now(),
          );
          if ('skipped' in outcome) return outcome;
          return `${outcome.date}: ${outcome.posted} posted, ${outcome.already} already posted today`;
        },
      },
    ];
  });
}

function describeChannels(channels: Readonly<Record<string, readonly string[]>>): string {
  return Object.entries(channels)
    .map(([surface, ids]) => `${surface} ${ids.join(', ')}`)
    .join('; ');
}
