import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from './log.js';

export interface Job {
  /** Unique kebab-case name, e.g. `sla-scan`; appears in every log line of the job. */
  name: string;
  schedule: string;
  timeZone?: string;
  run(): Promise<void>;
}

export interface ScheduledJob {
  /** Runs the job now unless a run is already under way (then waits for that one instead). */
  runNow(): Promise<void>;
  nextRun(): Date | null;
  /** Stops the schedule and waits for a run in progress to finish. */
  stop(): Promise<void>;
}

/**
 * node-cron only triggers; the job itself is a plain function. Runs never overlap: a trigger that arrives
 * while the previous run is still going is skipped and logged, not queued.
 */
export function scheduleJob(job: Job, logger: Logger): ScheduledJob {
  const log = logger.child({ job: job.name });
  let running: Promise<void> | null = null;

  const runOnce = () => {
    if (running) return running;
    running = job
      .run()
      .catch((error: unknown) => log.error({ err: error }, 'job failed'))
      .finally(() => {
        running = null;
      });
    return running;
  };

  const task: ScheduledTask = cron.schedule(
    job.schedule,
    () => {
      if (running) {
        log.warn('previous run still in progress; this trigger is skipped');
        return;
      }
      return runOnce();
    },
    {
      name: job.name,
      noOverlap: true,
      ...(job.timeZone ? { timezone: job.timeZone } : {}),
      logger: {
        info: (message) => log.debug(message),
        warn: (message) => log.warn(message),
        error: (message, err) => log.error({ err: err ?? message }, 'scheduler error'),
        debug: (message) => log.debug({ detail: String(message) }, 'scheduler'),
      },
    },
  );

  return {
    runNow: runOnce,
    nextRun: () => task.getNextRun(),
    async stop() {
      await task.stop();
      await task.destroy();
      if (running) await running;
    },
  };
}
