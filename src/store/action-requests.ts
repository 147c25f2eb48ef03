import type { Database } from 'better-sqlite3';
import { toMillis } from './values.js';

/** How long a claimed request is remembered; also the longest window `claim` accepts. */
export const REQUEST_RETENTION_MS = 24 * 60 * 60_000;
/** How often, at most, `claim` deletes requests older than the retention. */
const PRUNE_EVERY_MS = 60 * 60_000;

/** Requests already handled, so a double click or a platform retry of the same payload runs once. */
export interface ActionRequestRepo {
  /**
   * True for the first request with `key` within `windowMs` of `at` (and records it); false for a duplicate.
   * A key last claimed longer ago than the window is claimed afresh.
   */
  claim(key: string, at: Date, windowMs: number): boolean;
  /** Forgets a claim, so the same request may run again (it failed without doing anything). */
  release(key: string): void;
}

export function createActionRequestRepo(db: Database): ActionRequestRepo {
  // One statement, so claiming is atomic: the update only happens when the old claim is outside the window.
  const claimStmt = db.prepare<[string, number, number]>(
    `INSERT INTO action_requests (key, created_at) VALUES (?, ?)
     ON CONFLICT (key) DO UPDATE SET created_at = excluded.created_at WHERE action_requests.created_at <= ?`,
  );
  const releaseStmt = db.prepare<[string]>('DELETE FROM action_requests WHERE key = ?');
  const pruneStmt = db.prepare<[number]>('DELETE FROM action_requests WHERE created_at < ?');
  let lastPrune = Number.NEGATIVE_INFINITY;

  return {
    claim(key, at, windowMs) {
      if (!(windowMs > 0 && windowMs <= REQUEST_RETENTION_MS)) {
        throw new RangeError(`claim window must be between 1 ms and ${REQUEST_RETENTION_MS} ms, got ${windowMs}`);
      }
      const now = toMillis(at);
      if (now - lastPrune >= PRUNE_EVERY_MS) {
        pruneStmt.run(now - REQUEST_RETENTION_MS);
        lastPrune = now;
      }
      return claimStmt.run(key, now, now - windowMs).changes > 0;
    },
    release(key) {
      releaseStmt.run(key);
    },
  };
}
