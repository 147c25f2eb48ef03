import type { Database } from 'better-sqlite3';
import type { IncidentKey } from '../domain/incident.js';
import type { LocalAssignee, LocalClosure, TriageLocal } from './types.js';
import { fromMillis, fromMillisOrNull, toMillis } from './values.js';

/** Assignments and closures recorded here for vendors that cannot hold them. */
export interface TriageRepo {
  get(key: IncidentKey): TriageLocal | null;
  /** The local triage of these incidents of `source`, by incident id, in one read (a scan's page). */
  getMany(source: string, ids: readonly string[]): Map<string, TriageLocal>;
  /** Sets (or with null clears) the local assignee; `by` names who did it, as the audit actor does. */
  setAssignee(key: IncidentKey, assignee: LocalAssignee | null, by: string, at: Date): void;
  /** Sets (or with null clears) the local closure. */
  setClosure(key: IncidentKey, closure: LocalClosure | null): void;
}

interface Row {
  source: string;
  incident_id: string;
  assignee_email: string | null;
  assignee_display: string | null;
  assignee_surface: string | null;
  assignee_chat_user_id: string | null;
  assigned_by: string | null;
  assigned_at: number | null;
  closure_status: 'false_positive' | null;
  closure_reason: string | null;
  closed_by: string | null;
  closed_at: number | null;
}

function fromRow(row: Row): TriageLocal {
  const assignee: LocalAssignee | null =
    row.assignee_display === null
      ? null
      : {
          email: row.assignee_email,
          display: row.assignee_display,
          surface: row.assignee_surface,
          chatUserId: row.assignee_chat_user_id,
        };
  const closure: LocalClosure | null =
    row.closure_status === null || row.closed_at === null
      ? null
      : {
          status: row.closure_status,
          reason: row.closure_reason,
          by: row.closed_by ?? '',
          at: fromMillis(row.closed_at),
        };
  return {
    source: row.source,
    incidentId: row.incident_id,
    assignee,
    assignedBy: assignee ? row.assigned_by : null,
    assignedAt: assignee ? fromMillisOrNull(row.assigned_at) : null,
    closure,
  };
}

export function createTriageRepo(db: Database): TriageRepo {
  const getStmt = db.prepare<[string, string], Row>('SELECT * FROM triage_local WHERE source = ? AND incident_id = ?');
  // The ids as one JSON array: a statement per page size would be needed otherwise, and SQLite's variable limit.
  const getManyStmt = db.prepare<[string, string], Row>(
    'SELECT * FROM triage_local WHERE source = ? AND incident_id IN (SELECT value FROM json_each(?))',
  );
  const assigneeStmt = db.prepare<
    [string, string, string | null, string | null, string | null, string | null, string | null, number | null]
  >(
    `INSERT INTO triage_local (source, incident_id, assignee_email, assignee_display, assignee_surface,
       assignee_chat_user_id, assigned_by, assigned_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (source, incident_id) DO UPDATE SET
       assignee_email = excluded.assignee_email, assignee_display = excluded.assignee_display,
       assignee_surface = excluded.assignee_surface, assignee_chat_user_id = excluded.assignee_chat_user_id,
       assigned_by = excluded.assigned_by, assigned_at = excluded.assigned_at`,
  );
  const closureStmt = db.prepare<[string, string, string | null, string | null, string | null, number | null]>(
    `INSERT INTO triage_local (source, incident_id, closure_status, closure_reason, closed_by, closed_at)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (source, incident_id) DO UPDATE SET
       closure_status = excluded.closure_status, closure_reason = excluded.closure_reason,
       closed_by = excluded.closed_by, closed_at = excluded.closed_at`,
  );

  return {
    get(key) {
      const row = getStmt.get(key.source, key.id);
      return row ? fromRow(row) : null;
    },
    getMany(source, ids) {
      const rows = getManyStmt.all(source, JSON.stringify(ids));
      return new Map(rows.map((row) => [row.incident_id, fromRow(row)]));
    },
    setAssignee(key, assignee, by, at) {
      assigneeStmt.run(
        key.source,
        key.id,
        assignee?.email ?? null,
        assignee?.display ?? null,
        assignee?.surface ?? null,
        assignee?.chatUserId ?? null,
        assignee ? by : null,
        assignee ? toMillis(at) : null,
      );
    },
    setClosure(key, closure) {
      closureStmt.run(
        key.source,
        key.id,
        closure?.status ?? null,
        closure?.reason ?? null,
        closure?.by ?? null,
        closure ? toMillis(closure.at) : null,
      );
    },
  };
}
