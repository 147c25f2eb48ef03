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
  record(source: string, ids: readonly string[], outcome: 'written' | 'skipped', at: Date): void;
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
  const recordStmt = db.prepare<[string, string, number, string]>(
    `INSERT INTO write_backs (source, incident_id, at, outcome) VALUES (?, ?, ?, ?)
     ON CONFLICT (source, incident_id) DO NOTHING`,
  );
  const recordAll = db.transaction((source: string, ids: readonly string[], outcome: string, at: number) => {
    for (const id of ids) recordStmt.run(source, id, at, outcome);
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
  };
}
