import type { Database } from 'better-sqlite3';
import type { IncidentStatus, Severity } from '../domain/incident.js';
import { fromMillis, toMillis } from './values.js';

export interface WriteBackCandidate {
  id: string;
  createdAt: Date;
  status: IncidentStatus;
  severity: Severity;
  policy: string | null;
}

/** Breached incidents to mark in the vendor, each once. */
export interface WriteBackRepo {
  /** Breached or escalated incidents of `source` not yet marked (or skipped), oldest first; all of them without a limit. */
  pending(source: string, limit?: number): WriteBackCandidate[];
  /** Remembers the outcome of incidents already stored; returns the ids not stored yet (nothing kept for them). */
  record(source: string, ids: readonly string[], outcome: 'written' | 'skipped', at: Date): string[];
  /** Every incident of `source` already written or skipped. */
  recordedIds(source: string): Set<string>;
}

export function createWriteBackRepo(db: Database): WriteBackRepo {
  type PendingRow = {
    id: string;
    created_at: number;
    status: IncidentStatus;
    severity: Severity;
    policy: string | null;
  };
  const pendingStmt = db.prepare<[string, number], PendingRow>(
    `SELECT i.id, i.created_at, i.status, i.severity, i.policy FROM incidents i
     LEFT JOIN write_backs w ON w.source = i.source AND w.incident_id = i.id
     WHERE i.source = ? AND i.sla_state IN ('breached', 'escalated') AND w.incident_id IS NULL
     ORDER BY i.created_at, i.id LIMIT ?`,
  );
  // Only for stored incidents (the foreign key): a write-back before the listing may mark one not stored yet.
  const recordStmt = db.prepare<[number, string, string, string]>(
    `INSERT INTO write_backs (source, incident_id, at, outcome)
     SELECT i.source, i.id, ?, ? FROM incidents i WHERE i.source = ? AND i.id = ?
     ON CONFLICT (source, incident_id) DO NOTHING`,
  );
  const existsStmt = db.prepare<[string, string], { one: number }>(
    'SELECT 1 AS one FROM incidents WHERE source = ? AND id = ?',
  );
  const recordedStmt = db.prepare<[string], { incident_id: string }>(
    'SELECT incident_id FROM write_backs WHERE source = ?',
  );
  const recordAll = db.transaction((source: string, ids: readonly string[], outcome: string, at: number) => {
    const unknown: string[] = [];
    for (const id of ids) {
      if (recordStmt.run(at, outcome, source, id).changes === 0 && !existsStmt.get(source, id)) unknown.push(id);
    }
    return unknown;
  });
  return {
    // SQLite reads a negative LIMIT as none.
    pending: (source, limit = -1) =>
      pendingStmt.all(source, limit).map((row) => ({
        id: row.id,
        createdAt: fromMillis(row.created_at),
        status: row.status,
        severity: row.severity,
        policy: row.policy,
      })),
    record: (source, ids, outcome, at) => recordAll(source, ids, outcome, toMillis(at)),
    recordedIds: (source) => new Set(recordedStmt.all(source).map((row) => row.incident_id)),
  };
}
