import type { JobSpec, Trigger } from '../../src/jobs/runner.js';
import type { Clock } from '../../src/ports/index.js';

export interface ManualTrigger {
  /** For serve (`jobTrigger`): registers each scheduled job, and fires none on its own. */
  trigger: Trigger;
  /**
   * Fires `job` for its next schedule time, as node-cron would when that time came: the bot runs it for that slot,
   * or for its clock's time when that is later (a test's fixed clock moved ahead). Nothing waits for the time.
   */
  fire(job: string): void;
}

/**
 * A trigger a test fires, so a job on a schedule runs when the test needs it instead of when the wall clock says.
 * `clock` is the bot's when a test gave it one: the next schedule time is counted from it.
 */
export function manualTrigger(clock: Clock = { now: () => new Date() }): ManualTrigger {
  const jobs = new Map<string, { spec: JobSpec; fire: (at: Date) => void; last: Date }>();
  return {
    trigger(spec, fire) {
      jobs.set(spec.name, { spec, fire, last: clock.now() });
      return { stop: () => void jobs.delete(spec.name) };
    },
    fire(name) {
      const job = jobs.get(name);
      if (!job) throw new Error(`no scheduled job "${name}" (is serve up, with that job configured?)`);
      const now = clock.now();
      const at = job.spec.schedule.next(job.last > now ? job.last : now);
      if (!at) throw new Error(`job "${name}" has no next schedule time`);
      job.last = at;
      job.fire(at);
    },
  };
}
