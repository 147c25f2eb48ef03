import { type Logger, newCorrelationId } from '../log.js';
import type { Clock } from '../ports/index.js';
import type { JobRunReason, Store } from '../store/index.js';
import type { CronSchedule } from './cron-times.js';

/**
 * What a run asked for by hand (`dlp-bot scan --full --json`, `/dlp scan`) wants of it; scheduled runs want nothing.
 * Each job reads what applies to it.
 */
export interface JobRequest {
  /** A full pass even where an incremental one is due. */
  full?: boolean;
  /** Surfaces to leave out of this run's delivery (the terminal while stdout carries JSON). */
  skipSurfaces?: readonly string[];
  /** Progress of a scan, for a terminal's progress line. */
  onProgress?: (line: string) => void;
}

export interface JobContext {
  /** The schedule time this run stands for. */
  slot: Date;
  reason: JobRunReason;
  correlationId: string;
  logger: Logger;
  request: JobRequest;
}

export interface JobSpec {
  /** Unique, kebab-case with a colon for its subject: `scan:pan-prod`, `digest:route-1`. */
  name: string;
  /** One line for `dlp-bot jobs`: what the job does. */
  description: string;
  schedule: CronSchedule;
  /** Also run once when the runner starts (scans: the bot should not wait 15 minutes to look). */
  runAtStart?: boolean;
  /**
   * Does the work; the returned line is stored with the run ("12 incidents, 0 failed sources"). A run that
   * found nothing to do by design (a digest on a holiday) returns `{ skipped }` and is recorded as skipped; one
   * that finished its work but failed at what it is for (a source that could not be scanned) returns `{ failed }`.
   */
  run(context: JobContext): Promise<string | { skipped: string } | { failed: string } | undefined>;
}

export interface JobStatus {
  name: string;
  description: string;
  expression: string;
  timeZone: string;
  running: boolean;
  next: Date | null;
}

/**
 * Whatever calls the runner at schedule times: node-cron in production (`nodeCronTrigger`), nothing in tests,
 * which call `tick` on a fixed clock instead so a simulated week takes milliseconds.
 */
export type Trigger = (job: JobSpec, fire: (at: Date) => void) => { stop(): Promise<void> | void };

export interface JobRunner {
  /**
   * Records runs a gone process cut off as failed, runs what was missed once per job (catch-up) and the jobs
   * marked `runAtStart`, then starts the triggers.
   */
  start(): Promise<void>;
  /**
   * Runs every job (or only `only`) whose newest schedule time up to the clock's now has not run yet; several
   * missed times run once. A job still running is not started again. Resolves when the runs it started end.
   */
  tick(only?: string): Promise<void>;
  /**
   * Runs one job now, outside its schedule (recorded as `manual`), with what the caller asked for; joins a run in
   * progress instead (which then keeps its own request). Works before `start`: a one-shot command runs jobs this way.
   * `slot` lets several jobs started together share one (so their scans summarise as one).
   */
  runNow(name: string, request?: JobRequest, slot?: Date): Promise<void>;
  /** The names of the jobs, in the order given. */
  names(): string[];
  /** The earliest next schedule time of any job, for simulations. */
  nextDue(): Date | null;
  status(): JobStatus[];
  /** Stops the triggers and waits for runs in progress. */
  stop(): Promise<void>;
}

export interface JobRunnerDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  trigger?: Trigger;
  /** The process run holding the store's instance lock: its runs are recorded as its, and a start spares them. */
  holder?: string;
}

const OVERLAP_DETAIL = 'previous run still in progress';

/** The first line of an error, for the run record (stack traces go to the log). */
const oneLine = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).split('\n')[0]?.trim() || 'failed without a message';

interface JobState {
  spec: JobSpec;
  /** The newest schedule time already run or deliberately passed over; later ones are due. */
  baseline: Date;
  running: Promise<void> | null;
}

/**
 * Runs scheduled jobs with run records in SQLite. A slot (one schedule time of one job) runs at most once,
 * enforced by the store, so catch-up after downtime runs once and a double trigger is a no-op.
 */
export function createJobRunner(jobs: readonly JobSpec[], deps: JobRunnerDeps): JobRunner {
  const { store, clock } = deps;
  const names = new Set<string>();
  for (const job of jobs) {
    if (names.has(job.name)) throw new Error(`two scheduled jobs are called "${job.name}"`);
    names.add(job.name);
  }
  // Baselines are read again at `start`; until then (a one-shot `runNow`), the last recorded slot stands.
  const states = new Map<string, JobState>(
    jobs.map((spec) => [
      spec.name,
      { spec, baseline: store.jobRuns.lastSlot(spec.name) ?? clock.now(), running: null },
    ]),
  );
  const triggers: { stop(): Promise<void> | void }[] = [];

  const execute = (state: JobState, slot: Date, reason: JobRunReason, request: JobRequest = {}): Promise<void> => {
    const correlationId = newCorrelationId('job');
    const logger = deps.logger.child({ job: state.spec.name, correlationId });
    const runId = store.jobRuns.start(state.spec.name, slot, reason, clock.now(), deps.holder ?? null);
    if (runId === null) {
      logger.info({ slot: slot.toISOString() }, 'this schedule time already ran; not running it again');
      return Promise.resolve();
    }
    logger.info({ slot: slot.toISOString(), reason }, 'job started');
    const run = (async () => {
      try {
        const result = await state.spec.run({ slot, reason, correlationId, logger, request });
        const outcome = typeof result !== 'object' ? 'ok' : 'failed' in result ? 'failed' : 'skipped';
        const detail =
          typeof result !== 'object' ? (result ?? null) : 'failed' in result ? result.failed : result.skipped;
        store.jobRuns.finish(runId, outcome, clock.now(), detail);
        if (outcome === 'failed') logger.warn({ detail }, 'job failed');
        else logger.info({ detail, skipped: outcome === 'skipped' }, 'job finished');
      } catch (error) {
        const message = oneLine(error);
        logger.error({ err: error }, 'job failed');
        try {
          store.jobRuns.finish(runId, 'failed', clock.now(), message);
        } catch (storeError) {
          logger.error({ err: storeError }, 'could not record the failed job run');
        }
      } finally {
        state.running = null;
      }
    })();
    state.running = run;
    return run;
  };

  /** A slot that came while the previous run was still going: recorded as skipped, so `jobs` shows the gap. */
  const recordOverlap = (job: string, slot: Date, reason: JobRunReason) => {
    deps.logger.warn(
      { job, slot: slot.toISOString() },
      'previous run still in progress; this schedule time is skipped',
    );
    const runId = store.jobRuns.start(job, slot, reason, clock.now(), deps.holder ?? null);
    if (runId !== null) store.jobRuns.finish(runId, 'skipped', clock.now(), OVERLAP_DETAIL);
  };

  const due = (state: JobState, now: Date) => state.spec.schedule.latest(state.baseline, now);

  const tickOne = (state: JobState, reason: JobRunReason, firedAt?: Date): Promise<void> => {
    // A trigger may fire a hair before the clock reads the schedule time; the time it fired for counts.
    const now = firedAt && firedAt > clock.now() ? firedAt : clock.now();
    const slot = due(state, now);
    if (!slot) return Promise.resolve();
    state.baseline = slot;
    if (state.running) {
      recordOverlap(state.spec.name, slot, reason);
      return Promise.resolve();
    }
    return execute(state, slot, reason);
  };

  const stateOf = (name: string) => {
    const state = states.get(name);
    if (!state) throw new Error(`no scheduled job "${name}"`);
    return state;
  };

  return {
    async start() {
      const now = clock.now();
      const interrupted = store.jobRuns.markInterrupted(now, deps.holder ?? null);
      if (interrupted > 0) deps.logger.warn({ runs: interrupted }, 'runs cut off by the last stop recorded as failed');
      const runs: Promise<void>[] = [];
      for (const spec of jobs) {
        const state = stateOf(spec.name);
        // A job never run before starts its schedule from now: there is nothing it missed.
        state.baseline = store.jobRuns.lastSlot(spec.name) ?? now;
        if (spec.runAtStart) {
          // The run at start also stands in for anything missed, so downtime never means two runs now.
          state.baseline = due(state, now) ?? state.baseline;
          runs.push(execute(state, now, 'start'));
        } else {
          runs.push(tickOne(state, 'catch_up'));
        }
      }
      if (deps.trigger) {
        const trigger = deps.trigger;
        for (const state of states.values()) {
          triggers.push(
            trigger(state.spec, (at) => {
              void tickOne(state, 'scheduled', at);
            }),
          );
        }
      }
      await Promise.all(runs);
    },
    async tick(only) {
      const selected = only ? [stateOf(only)] : [...states.values()];
      await Promise.all(selected.map((state) => tickOne(state, 'scheduled')));
    },
    async runNow(name, request, slot) {
      const state = stateOf(name);
      if (state.running) return state.running;
      return execute(state, slot ?? clock.now(), 'manual', request);
    },
    names: () => jobs.map((spec) => spec.name),
    nextDue() {
      let earliest: Date | null = null;
      for (const state of states.values()) {
        const next = state.spec.schedule.next(state.baseline);
        if (next && (!earliest || next < earliest)) earliest = next;
      }
      return earliest;
    },
    status: () =>
      jobs.map((spec) => {
        const state = states.get(spec.name);
        return {
          name: spec.name,
          description: spec.description,
          expression: spec.schedule.expression,
          timeZone: spec.schedule.timeZone,
          running: state?.running != null,
          next: spec.schedule.next(clock.now()),
        };
      }),
    async stop() {
      await Promise.all(triggers.map((t) => t.stop()));
      await Promise.all([...states.values()].map((s) => s.running));
    },
  };
}
