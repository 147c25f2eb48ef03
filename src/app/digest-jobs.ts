import { DateTime } from 'luxon';
import type { Router } from '../delivery/routes.js';
import { postDigests } from '../digest/post-digest.js';
import type { JobSpec } from '../jobs/runner.js';
import { serially } from '../jobs/serial.js';
import type { Logger } from '../log.js';
import { digestCalendar, type JobDeps, type PlannedJob } from './plan-jobs.js';

/** Retries of a failed digest on the same local day, one per notices run (every 5 minutes by default). */
export const DIGEST_RETRIES_PER_DAY = 6;

export interface DigestJobs {
  specs: JobSpec[];
  /**
   * Posts again the digests whose run today failed (the chat platform was down), to the channels that still
   * lack today's digest; at most `DIGEST_RETRIES_PER_DAY` times per digest and day, and never on another day.
   * Returns how many digests were tried again.
   */
  retryFailed(logger: Logger): Promise<number>;
}

/** The digest jobs of the plan, and the same-day retry the notices job drives. */
export function createDigestJobs(deps: JobDeps, planned: readonly PlannedJob[], allRoutes: Router): DigestJobs {
  const { config } = deps;
  // A source dropped from the config (its incidents still stored until forgotten) counts in no channel's digest.
  const configured = new Set(config.sources.map((s) => s.id));
  const router: Router = (incident) => (configured.has(incident.source) ? allRoutes(incident) : []);
  const digests = planned.flatMap((job) => {
    const index = Number(job.subject);
    const route = config.routes[index];
    if (job.kind !== 'digest' || !route) return [];
    const calendar = digestCalendar(config, index);
    // A retry and a manual run of the same digest never overlap: both check "posted today?" before posting.
    const post = serially((logger: Logger) =>
      postDigests({ ...deps, logger, channels: route.channels, calendar, router }, deps.clock.now()),
    );
    return [{ job, calendar, post }];
  });
  return {
    specs: digests.map(({ job, post }) => ({
      name: job.name,
      description: job.description,
      schedule: job.schedule,
      async run({ logger }) {
        const outcome = await post(logger);
        if ('skipped' in outcome) return outcome;
        return `${outcome.date}: ${outcome.posted} posted, ${outcome.already} already posted today`;
      },
    })),
    async retryFailed(logger) {
      let tried = 0;
      for (const { job, calendar, post } of digests) {
        const last = deps.store.jobRuns.last(job.name);
        if (last?.outcome !== 'failed') continue;
        const localDate = (at: Date) => DateTime.fromJSDate(at, { zone: calendar.timeZone }).toISODate();
        const today = localDate(deps.clock.now());
        if (!today || localDate(last.slot) !== today) continue;
        // Counted in the store before the try, so neither a restart nor a crash mid-post resets the cap.
        const state = deps.store.digestRetries.get(job.name, today);
        if (state.done || state.tries >= DIGEST_RETRIES_PER_DAY) continue;
        const retry = deps.store.digestRetries.claim(job.name, today);
        tried += 1;
        try {
          await post(logger.child({ job: job.name, retry }));
          deps.store.digestRetries.markDone(job.name, today);
          logger.info({ job: job.name, date: today }, 'digest posted on retry');
        } catch (error) {
          logger.warn({ job: job.name, err: error, retry }, 'digest retry failed; tried again next run');
        }
      }
      return tried;
    },
  };
}
