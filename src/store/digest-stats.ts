import type { Database } from 'better-sqlite3';
import type { IncidentStatus, Severity } from '../domain/incident.js';
import { fromMillis, fromMillisOrNull, toMillis } from './values.js';

/** What a person did to an incident that counts as acting on it (viewing snippets does not). */
export const FIRST_ACTIONS = ['incident.assign', 'incident.take', 'incident.note', 'incident.false_positive'] as const;

export interface ClosedCount {
  source: string;
  severity: Severity;
  policy: string | null;
  status: IncidentStatus;
  count: number;
}

export interface TriageCandidate {
  source: string;
  id: string;
  severity: Severity;
  policy: string | null;
  status: IncidentStatus;
  createdAt: Date;
  /** When it stopped awaiting triage (a status change), if it has. */
  leftTriageAt: Date | null;
  closedAt: Date | null;
  /** The first click that acted on it (assign, take, note, false positive), from the audit log. */
  firstActionAt: Date | null;
}

/** Read-only figures for the digest: closures, and the audit log's first actions. */
export interface DigestStatsRepo {
  /** Incidents closed at or after `since`, grouped by source, severity, policy and closing status. */
  closedSince(since: Date): ClosedCount[];
  /** Incidents created at or after `since`, with when they were first acted on or left triage. */
  createdSince(since: Date): TriageCandidate[];
}

interface CandidateRow {
  source: string;
  id: string;
  severity: Severity;
  policy: string | null;
  status: IncidentStatus;
  created_at: number;
  left_triage_at: number | null;
  closed_at: number | null;
  first_action_at: number | null;
}

export function createDigestStatsRepo(db: Database): DigestStatsRepo {
  type ClosedRow = { source: string; severity: Severity; policy: string | null; status: IncidentStatus; n: number };
  const closed = db.prepare<[number], ClosedRow>(
    `SELECT source, severity, policy, status, count(*) AS n FROM incidents WHERE closed_at >= ?
     GROUP BY source, severity, policy, status`,
  );
  const actions = FIRST_ACTIONS.map((a) => `'${a}'`).join(', ');
  // audit_events_incident (source, incident_id) serves the correlated lookup.
  const created = db.prepare<[number], CandidateRow>(
    `SELECT i.source, i.id, i.severity, i.policy, i.status, i.created_at, i.left_triage_at, i.closed_at,
       (SELECT min(a.at) FROM audit_events a
        WHERE a.source = i.source AND a.incident_id = i.id AND a.outcome = 'ok' AND a.action IN (${actions})
       ) AS first_action_at
     FROM incidents i WHERE i.created_at >= ?`,
  );
  return {
    closedSince: (since) =>
      closed.all(toMillis(since)).map((r) => ({
        source: r.source,
        severity: r.severity,
        policy: r.policy,
        status: r.status,
        count: r.n,
      })),
    createdSince: (since) =>
      created.all(toMillis(since)).map((r) => ({
        source: r.source,
        id: r.id,
        severity: r.severity,
        policy: r.policy,
        status: r.status,
        createdAt: fromMillis(r.created_at),
        leftTriageAt: fromMillisOrNull(r.left_triage_at),
        closedAt: fromMillisOrNull(r.closed_at),
        firstActionAt: fromMillisOrNull(r.first_action_at),
      })),
  };
}
