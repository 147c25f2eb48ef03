import type { Database } from 'better-sqlite3';
import { fromMillis, fromMillisOrNull, toMillis } from './values.js';

export const JOB_RUN_REASONS = ['scheduled', 'catch_up', 'start', 'manual'] as const;
export type JobRunReason = (typeof JOB_RUN_REASONS)[number];
export type JobRunOutcome = 'running' | 'ok' | 'failed' | 'skipped';

export interface JobRun {
  id: number;
  job: string;
  /** The schedule time this run stands for (for a run at start or on demand: when it started). */
  slot: Date;
  reason: JobRunReason;
  startedAt: Date;
  finishedAt: Date | null;
  outcome: JobRunOutcome;
  /** One line: what the run did, or why it failed. */
  detail: string | null;
}

/** Every run of a scheduled job, so downtime can be caught up once and `dlp-bot jobs` can show history. */
export interface JobRunRepo {
  /**
   * Claims `slot` for `job`; null when that schedule time already ran (or is running): the caller must not run it.
   * Runs at start and on demand are recorded at the moment they begin and never refused. `holder` is the process
   * run (its instance lock token) doing it.
   */
  start(job: string, slot: Date, reason: JobRunReason, at: Date, holder?: string | null): number | null;
  finish(id: number, outcome: Exclude<JobRunOutcome, 'running'>, at: Date, detail: string | null): void;
  /** The newest run of `job` by slot. */
  last(job: string): JobRun | null;
  /** The newest scheduled slot of `job` that has a run (at start and on-demand runs excluded). */
  lastSlot(job: string): Date | null;
  recent(job: string, limit: number): JobRun[];
  /**
   * Marks runs still `running` as failed: cut off by a stop or a crash. Failed is what lets a digest cut off today be
   * tried again. With `liveHolder` (the instance lock's holder, i.e. the caller) its own runs are left alone: only a
   * holder that is gone leaves runs behind. Returns how many there were.
   */
  markInterrupted(at: Date, liveHolder?: string | null): number;
}

export const INTERRUPTED_DETAIL = 'interrupted: dlp-bot stopped during this run';

interface Row {
  id: number;
  job: string;
  slot: number;
  reason: JobRunReason;
  started_at: number;
  finished_at: number | null;
  outcome: JobRunOutcome;
  detail: string | null;
}

const fromRow = (row: Row): JobRun => ({
  id: row.id,
  job: row.job,
  slot: fromMillis(row.slot),
  reason: row.reason,
  startedAt: fromMillis(row.started_at),
  finishedAt: fromMillisOrNull(row.finished_at),
  outcome: row.outcome,
  detail: row.detail,
});

const MAX_DETAIL = 500;

export function createJobRunRepo(db: Database): JobRunRepo {
  const insert = db.prepare<[string, number, string, number, string | null]>(
    `INSERT INTO job_runs (job, slot, reason, started_at, outcome, holder) VALUES (?, ?, ?, ?, 'running', ?)
     ON CONFLICT (job, slot) WHERE reason IN ('scheduled', 'catch_up') DO NOTHING`,
  );
  const finish = db.prepare<[string, number, string | null, number]>(
    'UPDATE job_runs SET outcome = ?, finished_at = ?, detail = ? WHERE id = ?',
  );
  const last = db.prepare<[string], Row>('SELECT * FROM job_runs WHERE job = ? ORDER BY slot DESC, id DESC LIMIT 1');
  const lastSlot = db
    .prepare<[string], number>("SELECT max(slot) FROM job_runs WHERE job = ? AND reason IN ('scheduled', 'catch_up')")
    .pluck();
  const interrupted = db.prepare<[number, string, string | null, string | null]>(
    `UPDATE job_runs SET outcome = 'failed', finished_at = ?, detail = ?
     WHERE outcome = 'running' AND (? IS NULL OR holder IS NOT ?)`,
  );
  const recent = db.prepare<[string, number], Row>(
    'SELECT * FROM job_runs WHERE job = ? ORDER BY slot DESC, id DESC LIMIT ?',
  );
  return {
    start(job, slot, reason, at, holder = null) {
      const result = insert.run(job, toMillis(slot), reason, toMillis(at), holder);
      return result.changes === 0 ? null : Number(result.lastInsertRowid);
    },
    finish(id, outcome, at, detail) {
      finish.run(outcome, toMillis(at), detail === null ? null : detail.slice(0, MAX_DETAIL), id);
    },
    last: (job) => {
      const row = last.get(job);
      return row ? fromRow(row) : null;
    },
    lastSlot: (job) => fromMillisOrNull(lastSlot.get(job) ?? null),
    recent: (job, limit) => recent.all(job, limit).map(fromRow),
    markInterrupted: (at, liveHolder = null) =>
      interrupted.run(toMillis(at), INTERRUPTED_DETAIL, liveHolder, liveHolder).changes,
  };
}
