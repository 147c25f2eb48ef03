import type { Database } from 'better-sqlite3';
import { OUTBOX_STATES, type OutboxIntent, type OutboxKind, type OutboxRow, type OutboxState } from './types.js';
import { fromMillis, fromMillisOrNull, toMillis } from './values.js';

/**
 * How long a delivery holds a row before another process may take it: longer than a paced run of a large backlog
 * usually takes, and extended by the lock holder's heartbeat; a holder that died is released by the next lock taker.
 */
export const DEFAULT_LEASE_MS = 10 * 60_000;

export interface OutboxRepo {
  /** True when a new row was written; false when an intent with the same dedupe key already exists. */
  enqueue(intent: OutboxIntent): boolean;
  /** Pending rows whose next attempt is due, oldest first. */
  due(now: Date, limit: number): OutboxRow[];
  /**
   * Due rows no other process is sending, oldest first, leased to `holder` until `until` in the same transaction:
   * two processes on one store never send the same row. Settling a row (delivered, retry, dead) ends its lease.
   */
  lease(holder: string, now: Date, until: Date, limit: number): OutboxRow[];
  /** Hands rows back unsent, their attempts and next attempt time unchanged (a stop); returns how many. */
  release(holder: string, ids: readonly number[]): number;
  /** Extends every lease `holder` has, while it is still sending; returns how many. */
  renewLeases(holder: string, until: Date): number;
  markDelivered(id: number, at: Date): boolean;
  markRetry(id: number, error: string, nextAttemptAt: Date): boolean;
  markDead(id: number, error: string): boolean;
  /** Makes announcements waiting on a retry due at `now` (a place to post just appeared); returns how many. */
  retryNow(now: Date): number;
  counts(): Record<OutboxState, number>;
}

interface Row {
  id: number;
  source: string;
  incident_id: string;
  kind: OutboxKind;
  dedupe_key: string;
  created_at: number;
  state: OutboxState;
  attempts: number;
  next_attempt_at: number;
  delivered_at: number | null;
  last_error: string | null;
  detail: string | null;
}

// Chat API errors can be long; the row only needs enough to tell an operator what went wrong.
const MAX_ERROR_LENGTH = 1_000;
const clip = (error: string) => (error.length > MAX_ERROR_LENGTH ? `${error.slice(0, MAX_ERROR_LENGTH - 1)}…` : error);
// A thread reply is one line; the clicker's text (a false-positive reason) must not make it a wall.
const MAX_DETAIL_LENGTH = 500;
const clipDetail = (detail: string | undefined) => {
  if (detail === undefined) return null;
  const chars = Array.from(detail);
  return chars.length > MAX_DETAIL_LENGTH ? `${chars.slice(0, MAX_DETAIL_LENGTH - 1).join('')}…` : detail;
};

function fromRow(row: Row): OutboxRow {
  return {
    id: row.id,
    source: row.source,
    incidentId: row.incident_id,
    kind: row.kind,
    dedupeKey: row.dedupe_key,
    createdAt: fromMillis(row.created_at),
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: fromMillis(row.next_attempt_at),
    deliveredAt: fromMillisOrNull(row.delivered_at),
    lastError: row.last_error,
    detail: row.detail,
  };
}

export function createOutboxRepo(db: Database): OutboxRepo {
  // Not INSERT OR IGNORE: that would also swallow CHECK and NOT NULL failures, i.e. real bugs.
  const enqueueStmt = db.prepare<[string, string, OutboxKind, string, number, number, string | null]>(
    `INSERT INTO outbox (source, incident_id, kind, dedupe_key, created_at, next_attempt_at, detail)
     VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING`,
  );
  const dueStmt = db.prepare<[number, number], Row>(
    `SELECT * FROM outbox WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT ?`,
  );
  const leasableStmt = db.prepare<[number, number, number], Row>(
    `SELECT * FROM outbox WHERE state = 'pending' AND next_attempt_at <= ?
       AND (lease_holder IS NULL OR lease_expires_at <= ?) ORDER BY id LIMIT ?`,
  );
  const leaseStmt = db.prepare<[string, number, number]>(
    'UPDATE outbox SET lease_holder = ?, lease_expires_at = ? WHERE id = ?',
  );
  const releaseStmt = db.prepare<[number, string]>(
    'UPDATE outbox SET lease_holder = NULL, lease_expires_at = NULL WHERE id = ? AND lease_holder = ?',
  );
  const renewStmt = db.prepare<[number, string]>(
    `UPDATE outbox SET lease_expires_at = ? WHERE lease_holder = ? AND state = 'pending'`,
  );
  const lease = db.transaction((holder: string, now: number, until: number, limit: number) => {
    const rows = leasableStmt.all(now, now, limit);
    for (const row of rows) leaseStmt.run(holder, until, row.id);
    return rows;
  });
  const release = db.transaction((holder: string, ids: readonly number[]) =>
    ids.reduce((n, id) => n + releaseStmt.run(id, holder).changes, 0),
  );
  // Only pending rows move: a late retry must never resurrect a delivered or dead announcement.
  const deliveredStmt = db.prepare<[number, number]>(
    `UPDATE outbox SET state = 'delivered', delivered_at = ?, attempts = attempts + 1, last_error = NULL,
       lease_holder = NULL, lease_expires_at = NULL
     WHERE id = ? AND state = 'pending'`,
  );
  const retryStmt = db.prepare<[string, number, number]>(
    `UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?,
       lease_holder = NULL, lease_expires_at = NULL
     WHERE id = ? AND state = 'pending'`,
  );
  const deadStmt = db.prepare<[string, number]>(
    `UPDATE outbox SET state = 'dead', attempts = attempts + 1, last_error = ?, lease_holder = NULL,
       lease_expires_at = NULL WHERE id = ? AND state = 'pending'`,
  );
  const retryNowStmt = db.prepare<[number, number]>(
    `UPDATE outbox SET next_attempt_at = ? WHERE state = 'pending' AND attempts > 0 AND next_attempt_at > ?`,
  );
  const countsStmt = db.prepare<[], { state: OutboxState; n: number }>(
    'SELECT state, count(*) AS n FROM outbox GROUP BY state',
  );

  return {
    enqueue(intent) {
      const createdAt = toMillis(intent.createdAt);
      const next = intent.nextAttemptAt ? toMillis(intent.nextAttemptAt) : createdAt;
      const detail = clipDetail(intent.detail);
      const { source, incidentId, kind, dedupeKey } = intent;
      const result = enqueueStmt.run(source, incidentId, kind, dedupeKey, createdAt, next, detail);
      return result.changes > 0;
    },
    due: (now, limit) => dueStmt.all(toMillis(now), limit).map(fromRow),
    lease: (holder, now, until, limit) => lease.immediate(holder, toMillis(now), toMillis(until), limit).map(fromRow),
    release: (holder, ids) => release.immediate(holder, ids),
    renewLeases: (holder, until) => renewStmt.run(toMillis(until), holder).changes,
    markDelivered: (id, at) => deliveredStmt.run(toMillis(at), id).changes > 0,
    markRetry: (id, error, nextAttemptAt) => retryStmt.run(clip(error), toMillis(nextAttemptAt), id).changes > 0,
    markDead: (id, error) => deadStmt.run(clip(error), id).changes > 0,
    retryNow: (now) => retryNowStmt.run(toMillis(now), toMillis(now)).changes,
    counts() {
      const counts = Object.fromEntries(OUTBOX_STATES.map((state) => [state, 0])) as Record<OutboxState, number>;
      for (const row of countsStmt.all()) counts[row.state] = row.n;
      return counts;
    },
  };
}

/** For other store modules that read outbox rows (dead letters), so a row is read one way. */
export { fromRow as outboxRowFrom, type Row as OutboxRecord };
