import type { DateTime as LuxonDateTime } from 'luxon';
import { z } from 'zod';
import { jsonFlag, noPositionals } from './args.js';
import { defineCommand } from './command.js';

const inZoneWith = (DateTime: typeof LuxonDateTime) => (date: Date | null, zone: string) =>
  date ? (DateTime.fromJSDate(date, { zone }).toFormat('ccc d LLL HH:mm ZZZZ') ?? '—') : '—';

export default defineCommand({
  name: 'jobs',
  summary: 'Scheduled jobs (scans, digests, escalations and reminders): last run, outcome, next run',
  usage: '[--json]',
  details: [
    "One row per job the config implies. Times are shown in the zone the job runs in (digests: the route's).",
    'A run missed while dlp-bot was stopped runs once when `dlp-bot serve` starts again (reason catch_up).',
    '--json   print the jobs and their last runs as JSON',
  ],
  examples: ['dlp-bot jobs', 'dlp-bot jobs --json'],
  options: { ...jsonFlag },
  args: z.object({ _: noPositionals, json: z.boolean().optional() }),
  role: 'viewer',
  surfaces: ['cli'],
  async run(_args, ctx) {
    // The job definitions pull in the scan, delivery and digest code, and luxon: loaded when asked, not on every command.
    const [{ planJobs }, { DateTime }] = await Promise.all([import('../src/app/jobs.js'), import('luxon')]);
    const inZone = inZoneWith(DateTime);
    const runtime = ctx.runtime();
    // Only reads: before the bot's first run there is no database, and asking must not create one.
    const config = await runtime.configWithoutStore();
    const store = runtime.existingStore();
    const now = ctx.clock.now();
    const jobs = planJobs(config).map((job) => {
      const last = store?.jobRuns.last(job.name) ?? null;
      return {
        name: job.name,
        description: job.description,
        schedule: job.schedule.expression,
        timeZone: job.schedule.timeZone,
        next: job.schedule.next(now),
        last,
      };
    });
    const neverRan = jobs.filter((j) => !j.last).length;
    return {
      data: jobs,
      view: {
        title: store
          ? `${jobs.length} scheduled job(s)${neverRan > 0 ? `, ${neverRan} not run yet` : ''}`
          : `${jobs.length} scheduled job(s); no runs yet — the bot has not run with this config`,
        tone: jobs.some((j) => j.last?.outcome === 'failed') ? 'warning' : 'neutral',
        blocks: [
          {
            type: 'table',
            columns: [
              { key: 'name', label: 'Job' },
              { key: 'schedule', label: 'Schedule' },
              { key: 'last', label: 'Last run' },
              { key: 'outcome', label: 'Outcome' },
              { key: 'next', label: 'Next run' },
            ],
            rows: jobs.map((j) => ({
              name: j.name,
              schedule: `${j.schedule} (${j.timeZone})`,
              last: j.last ? inZone(j.last.startedAt, j.timeZone) : 'never',
              outcome: j.last
                ? `${j.last.outcome}${j.last.reason === 'scheduled' ? '' : ` (${j.last.reason.replace('_', '-')})`}${j.last.detail ? `: ${j.last.detail}` : ''}`
                : '—',
              next: inZone(j.next, j.timeZone),
            })),
          },
          ...jobs.map((j) => ({ type: 'context' as const, text: `${j.name}: ${j.description}` })),
          ...(store ? [] : [{ type: 'context' as const, text: '`dlp-bot serve` runs these jobs on their schedules.' }]),
        ],
      },
    };
  },
});
