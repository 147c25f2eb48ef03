import type { Database } from 'better-sqlite3';
import { CLOSED_STATUSES, type Severity } from '../domain/incident.js';
import type { SlaState } from './types.js';
import { fromMillisOrNull } from './values.js';

/** Open incidents of one source, severity and SLA state (null: the SLA no longer applies to them). */
export interface OpenIncidentCount {
  source: string;
  severity: Severity;
  slaState: SlaState | null;
  count: number;
}

/** Figures the ops listener's /metrics reads from the store at scrape time, so they are never stale. */
export interface OpsFiguresRepo {
  openIncidents(): OpenIncidentCount[];
  /** Announcements waiting to be sent, and when the oldest of them was queued. */
  pendingOutbox(): { depth: number; oldestCreatedAt: Date | null };
}

// Built from the domain's set so "open" means the same thing here as in the incidents repo.
const OPEN = `status NOT IN (${[...CLOSED_STATUSES].map((status) => `'${status}'`).join(', ')})`;

export function createOpsFiguresRepo(db: Database): OpsFiguresRepo {
  const open = db.prepare<[], { source: string; severity: Severity; sla_state: SlaState | null; n: number }>(
    `SELECT source, severity, sla_state, count(*) AS n FROM incidents WHERE ${OPEN}
     GROUP BY source, severity, sla_state ORDER BY source, severity, sla_state`,
  );
  const pending = db.prepare<[], { n: number; oldest: number | null }>(
    "SELECT count(*) AS n, min(created_at) AS oldest FROM outbox WHERE state = 'pending'",
  );
  return {
    openIncidents: () =>
      open.all().map((row) => ({ source: row.source, severity: row.severity, slaState: row.sla_state, count: row.n })),
    pendingOutbox() {
      const row = pending.get();
      return { depth: row?.n ?? 0, oldestCreatedAt: fromMillisOrNull(row?.oldest ?? null) };
    },
  };
}
