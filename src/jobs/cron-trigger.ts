import cron from 'node-cron';
import type { Logger } from '../log.js';
import type { Trigger } from './runner.js';

/**
 * The production trigger: node-cron calls the job runner at each schedule time, in the job's time zone. The
 * runner decides what runs (overlap, run records, catch-up); node-cron's own `noOverlap` is a second guard.
 */
export function nodeCronTrigger(logger: Logger): Trigger {
  return (job, fire) => {
    const log = logger.child({ job: job.name });
    const task = cron.schedule(job.schedule.expression, (context) => fire(context.date), {
      name: job.name,
      noOverlap: true,
      timezone: job.schedule.timeZone,
      logger: {
        info: (message) => log.debug(message),
        warn: (message) => log.warn(message),
        error: (message, err) => log.error({ err: err ?? message }, 'scheduler error'),
        debug: (message) => log.debug({ detail: String(message) }, 'scheduler'),
      },
    });
    return {
      async stop() {
        await task.stop();
        await task.destroy();
      },
    };
  };
}
