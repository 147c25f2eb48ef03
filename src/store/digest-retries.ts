import type { Database } from 'better-sqlite3';

/** How far the same-day retries of one digest got. */
export interface DigestRetryState {
  /** Retries claimed so far that day. */
  tries: number;
  /** A retry posted it: nothing more to try that day. */
  done: boolean;
}

/**
 * Same-day retries of a failed digest, per job and local date. Kept in the database rather than in memory so
 * the daily cap holds across restarts: a bot restarted in a crash loop must not post (or fail) without end.
 */
export interface DigestRetryRepo {
  get(job: string, localDate: string): DigestRetryState;
  /** Claims one more try, before it is made; returns the number of tries claimed including this one. */
  claim(job: string, localDate: string): number;
  markDone(job: string, localDate: string): void;
}

export function createDigestRetryRepo(db: Database): DigestRetryRepo {
  const get = db.prepare<[string, string], { tries: number; done: number }>(
    'SELECT tries, done FROM digest_retries WHERE job = ? AND local_date = ?',
  );
  const claim = db
    .prepare<[string, string], number>(
      `INSERT INTO digest_retries (job, local_date, tries) VALUES (?, ?, 1)
       ON CONFLICT (job, local_date) DO UPDATE SET tries = tries + 1
       RETURNING tries`,
    )
    .pluck();
  const done = db.prepare<[string, string]>(
    `INSERT INTO digest_retries (job, local_date, tries, done) VALUES (?, ?, 0, 1)
     ON CONFLICT (job, local_date) DO UPDATE SET done = 1`,
  );
  return {
    get(job, localDate) {
      const row = get.get(job, localDate);
      return { tries: row?.tries ?? 0, done: row?.done === 1 };
    },
    claim: (job, localDate) => claim.get(job, localDate) ?? 0,
    markDone(job, localDate) {
      done.run(job, localDate);
    },
  };
}
