import type { Database } from 'better-sqlite3';
import { fromMillis, toMillis } from './values.js';

/** The process that writes a store: one row, held for the life of `serve` (or of a one-shot scan). */
export interface LockHolder {
  /** A random token per process run; pid and host alone would confuse a restarted process with a recycled pid. */
  holder: string;
  /** `serve` or `scan`: what the holder is doing, for the message a second process prints. */
  command: string;
  pid: number;
  host: string;
  startedAt: Date;
  heartbeatAt: Date;
}

export type LockAcquired = { acquired: true; previous: LockHolder | null } | { acquired: false; holder: LockHolder };

export interface InstanceLockRepo {
  /**
   * Takes the lock when it is free or `isStale` says its holder is gone, in one transaction: the stale row is
   * replaced and the outbox leases of every other holder are released with it, so nothing of the dead holder's
   * stays claimed. Otherwise answers who holds it.
   */
  acquire(candidate: LockHolder, isStale: (current: LockHolder) => boolean): LockAcquired;
  /** Refreshes the holder's heartbeat; false when the lock is no longer its own (taken over after it went silent). */
  heartbeat(holder: string, at: Date): boolean;
  /** Gives the lock up (and the holder's outbox leases); false when it was not held by `holder`. */
  release(holder: string): boolean;
  current(): LockHolder | null;
}

interface Row {
  holder: string;
  command: string;
  pid: number;
  host: string;
  started_at: number;
  heartbeat_at: number;
}

const fromRow = (row: Row): LockHolder => ({
  holder: row.holder,
  command: row.command,
  pid: row.pid,
  host: row.host,
  startedAt: fromMillis(row.started_at),
  heartbeatAt: fromMillis(row.heartbeat_at),
});

export function createInstanceLockRepo(db: Database): InstanceLockRepo {
  const currentStmt = db.prepare<[], Row>('SELECT * FROM instance_lock WHERE id = 1');
  const putStmt = db.prepare<[string, string, number, string, number, number]>(
    `INSERT INTO instance_lock (id, holder, command, pid, host, started_at, heartbeat_at) VALUES (1, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, command = excluded.command, pid = excluded.pid,
       host = excluded.host, started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at`,
  );
  const heartbeatStmt = db.prepare<[number, string]>('UPDATE instance_lock SET heartbeat_at = ? WHERE holder = ?');
  const releaseStmt = db.prepare<[string]>('DELETE FROM instance_lock WHERE holder = ?');
  const releaseOthersLeases = db.prepare<[string]>(
    `UPDATE outbox SET lease_holder = NULL, lease_expires_at = NULL
     WHERE lease_holder IS NOT NULL AND lease_holder <> ?`,
  );
  const releaseOwnLeases = db.prepare<[string]>(
    'UPDATE outbox SET lease_holder = NULL, lease_expires_at = NULL WHERE lease_holder = ?',
  );
  const current = () => {
    const row = currentStmt.get();
    return row ? fromRow(row) : null;
  };
  // IMMEDIATE: two processes starting together read and write the row one after the other, never both "free".
  const acquire = db.transaction((candidate: LockHolder, isStale: (current: LockHolder) => boolean): LockAcquired => {
    const previous = current();
    if (previous && previous.holder !== candidate.holder && !isStale(previous)) {
      return { acquired: false, holder: previous };
    }
    const { holder, command, pid, host } = candidate;
    putStmt.run(holder, command, pid, host, toMillis(candidate.startedAt), toMillis(candidate.heartbeatAt));
    releaseOthersLeases.run(holder);
    return { acquired: true, previous: previous?.holder === holder ? null : previous };
  });
  const release = db.transaction((holder: string) => {
    releaseOwnLeases.run(holder);
    return releaseStmt.run(holder).changes > 0;
  });
  return {
    acquire: (candidate, isStale) => acquire.immediate(candidate, isStale),
    heartbeat: (holder, at) => heartbeatStmt.run(toMillis(at), holder).changes > 0,
    release: (holder) => release.immediate(holder),
    current,
  };
}
