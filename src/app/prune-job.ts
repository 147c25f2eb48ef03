import { retentionIsOn } from '../config/retention-schema.js';
import type { Config } from '../config/schema.js';
import { cronSchedule } from '../jobs/cron-times.js';
import type { JobSpec } from '../jobs/runner.js';
import { pruneStore } from '../store/prune.js';
import type { JobDeps, PlannedJob } from './plan-jobs.js';

export const PRUNE_JOB = 'store-prune';

/** The retention job, when `store.retention` sets any age; none otherwise (retention is off by default). */
export function planPrune(config: Config): PlannedJob[] {
  const { retention } = config.store;
  if (!retentionIsOn(retention)) return [];
  return [
    {
      name: PRUNE_JOB,
      description: 'Remove closed incidents, delivered announcements and job runs older than store.retention says',
      schedule: cronSchedule(retention.schedule, 'UTC', 'wall-clock'),
      kind: 'prune',
      subject: null,
    },
  ];
}

/** The runnable retention job of the plan: one prune, recorded as an audit row with its counts. */
export function pruneJobs(deps: JobDeps, planned: readonly PlannedJob[]): JobSpec[] {
  return planned.flatMap((job): JobSpec[] =>
    job.kind === 'prune'
      ? [
          {
            name: job.name,
            description: job.description,
            schedule: job.schedule,
            async run({ correlationId }) {
              const pruned = pruneStore(deps.store, deps.config.store.retention, {
                at: deps.clock.now(),
                actor: 'system',
                surface: 'scheduler',
                correlationId,
              });
              return `${pruned.incidents} closed incidents, ${pruned.outbox} delivered announcements, ${pruned.jobRuns} job runs removed`;
            },
          },
        ]
      : [],
  );
}
