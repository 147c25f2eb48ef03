import { createRouter } from '../delivery/routes.js';
import type { JobSpec } from '../jobs/runner.js';
import { serially } from '../jobs/serial.js';
import { sendNotices } from '../notices/send-notices.js';
import { runScan, type ScanProgress, type ScanSummary } from '../scan/run-scan.js';
import { createDigestJobs } from './digest-jobs.js';
import { type JobDeps, planJobs } from './plan-jobs.js';
import { pruneJobs } from './prune-job.js';
import { createScanSlots } from './scan-slots.js';

export { type JobDeps, type PlannedJob, planJobs, routeName } from './plan-jobs.js';

const progressLine = (p: ScanProgress) =>
  `${p.source}: ${p.fetched}${p.expectedTotal ? ` of ${p.expectedTotal}` : ''} incidents fetched`;

/** The runnable jobs: `planJobs` with the work attached. Scans also deliver and check notices straight after. */
export function buildJobs(deps: JobDeps): JobSpec[] {
  const { config } = deps;
  const info = new Map(deps.sources.map((s) => [s.id, { displayName: s.displayName, capabilities: s.capabilities }]));
  // Every scan (sources run in parallel) and the notices job check notices: one check at a time, each at the
  // time it starts, so two checks never both find a reminder unsent and both send it.
  const notices = serially((skipSurfaces: readonly string[] = []) =>
    sendNotices(
      {
        store: deps.store,
        policy: deps.policy,
        surfaces: deps.surfaces.filter((s) => !skipSurfaces.includes(s.id)),
        sourceInfo: (id) => info.get(id) ?? null,
        identity: config.identity,
        escalation: config.escalation,
        reminders: config.reminders,
        queue: deps.queue,
        logger: deps.logger,
        actions: deps.actions,
      },
      deps.clock.now(),
    ),
  );
  const planned = planJobs(config);
  const digests = createDigestJobs(deps, planned, createRouter(config.routes, deps.surfaces));
  const scanJobs = planned.flatMap((job) => {
    const source = job.kind === 'scan' ? deps.sources.find((s) => s.id === job.subject) : undefined;
    return source ? [{ job, source }] : [];
  });
  const onScan = deps.onScan;
  const slots = onScan
    ? createScanSlots(
        scanJobs.map(({ job }) => job),
        onScan,
      )
    : null;
  const scans = scanJobs.map(
    ({ job, source }): JobSpec => ({
      name: job.name,
      description: job.description,
      schedule: job.schedule,
      runAtStart: true,
      async run({ logger, slot, reason, request }) {
        slots?.begin(job.name, slot, reason === 'start');
        let summary: ScanSummary | null = null;
        const { onProgress, skipSurfaces = [] } = request;
        try {
          summary = await runScan(
            {
              store: deps.store,
              sources: [source],
              policy: deps.policy,
              logger,
              options: { ...config.scan, forceFull: request.full === true },
              clock: deps.clock,
              ...(onProgress ? { onProgress: (p: ScanProgress) => onProgress(progressLine(p)) } : {}),
            },
            deps.clock.now(),
          );
          deps.scanned?.(job.name, summary);
          await deps.deliver({ skipSurfaces });
          const sent = await notices(skipSurfaces);
          const t = summary.totals;
          const line = `${t.fetched} fetched, ${t.breached} breached, ${t.escalated} escalated, ${sent.reminders} reminders`;
          // What was fetched is stored and announced, but a source that could not be read is a failed run.
          const failure = summary.sources.find((s) => !s.ok)?.error;
          if (failure) return { failed: `source failed (${failure.code}: ${failure.message}); ${line}` };
          const degraded = summary.sources.find((s) => s.degraded !== null)?.degraded;
          return degraded ? `degraded, nothing closed (${degraded}); ${line}` : line;
        } finally {
          // After delivery, so the slot's summary comes after the cards it summarises.
          slots?.end(job.name, slot, summary);
        }
      },
    }),
  );
  const noticeJobs = planned.flatMap((job): JobSpec[] =>
    job.kind === 'notices'
      ? [
          {
            name: job.name,
            description: job.description,
            schedule: job.schedule,
            async run({ logger }) {
              const s = await notices();
              const retried = await digests.retryFailed(logger);
              return `${s.escalationPosts} escalation posts, ${s.escalationDms} escalation DMs, ${s.reminders} reminders, ${s.snoozed} snoozed${retried ? `, ${retried} digest(s) tried again` : ''}`;
            },
          },
        ]
      : [],
  );
  return [...scans, ...noticeJobs, ...digests.specs, ...pruneJobs(deps, planned)];
}
