import { CLOSED_STATUSES, INCIDENT_STATUSES } from '../domain/incident.js';
import type { IncidentRow, UpsertParams } from './incident-rows.js';
import type { IncidentCount, IncidentCounts } from './types.js';

/** The incidents table's SQL the repository (src/store/incidents.ts) prepares, and how it reads a count back. */

// Built from the domain's set so "open" means the same thing here as everywhere else.
const CLOSED_IN = [...CLOSED_STATUSES].map((status) => `'${status}'`).join(', ');
export const OPEN = `status NOT IN (${CLOSED_IN})`;
export const ORDER = 'ORDER BY created_at, source, id';
// The same set named by what it holds, so SQLite can range-scan (source, status) in incidents_source_status_sla.
export const OPEN_STATUS_IN = `status IN (${INCIDENT_STATUSES.filter((status) => !CLOSED_STATUSES.has(status))
  .map((status) => `'${status}'`)
  .join(', ')})`;

// Bound by position, not by name: better-sqlite3 looks each @name up on the object, which made a first scan's INSERT
// ~25% dearer per row (measured, docs/benchmarks.md). `insertValues` gives the values in this column order.
export const INSERT = `
  INSERT INTO incidents (
    source, id, severity, status, raw_status, created_at, updated_at, policy, actor, channel, application,
    file_name, match_count, assignee, link, short_key, content_hash, sla_state, sla_deadline,
    first_seen_at, last_seen_at, last_seen_scan, closed_at
  ) VALUES (${Array(23).fill('?').join(', ')})`;

export type Bindable = string | number | null;

/**
 * The INSERT's values, in its column order. A closed record gets its closed_at here, as the status-change trigger
 * gives one later: an AFTER INSERT trigger did it before migration 014, at the cost of a second write of every
 * closed row.
 */
export const insertValues = (p: UpsertParams): Bindable[] => [
  p.source,
  p.id,
  p.severity,
  p.status,
  p.raw_status,
  p.created_at,
  p.updated_at,
  p.policy,
  p.actor,
  p.channel,
  p.application,
  p.file_name,
  p.match_count,
  p.assignee,
  p.link,
  p.short_key,
  p.content_hash,
  p.sla_state,
  p.sla_deadline,
  p.seen_at,
  p.seen_at,
  p.scan_id,
  CLOSED_STATUSES.has(p.status) ? (p.updated_at ?? p.seen_at) : null,
];

// A plain UPDATE, not INSERT … ON CONFLICT DO UPDATE: SQLite's upsert path cost several times as much per existing
// row (measured: 75–230 µs against ~30, docs/benchmarks.md), and the scan has read the row already anyway.
export const UPDATE = `
  UPDATE incidents SET
    severity = @severity, status = @status, raw_status = @raw_status, created_at = @created_at,
    updated_at = @updated_at, policy = @policy, actor = @actor, channel = @channel, application = @application,
    file_name = @file_name, match_count = @match_count, assignee = @assignee, link = @link, short_key = @short_key,
    content_hash = @content_hash, sla_state = @sla_state, sla_deadline = @sla_deadline,
    last_seen_at = @seen_at, last_seen_scan = @scan_id
  WHERE source = @source AND id = @id`;

/** The columns an upsert writes from the incident and its evaluation, by their row and parameter name alike. */
const CONTENT_COLUMNS = [
  'severity',
  'status',
  'raw_status',
  'created_at',
  'updated_at',
  'policy',
  'actor',
  'channel',
  'application',
  'file_name',
  'match_count',
  'assignee',
  'link',
  'short_key',
  'content_hash',
  'sla_state',
  'sla_deadline',
] as const satisfies readonly (keyof IncidentRow & keyof UpsertParams)[];

export const sameContent = (row: IncidentRow, params: UpsertParams) =>
  CONTENT_COLUMNS.every((column) => row[column] === params[column]);

export function summarise(groups: IncidentCount[]): IncidentCounts {
  const counts: IncidentCounts = { total: 0, awaiting: 0, byStatus: {}, bySlaState: {}, groups };
  for (const { status, slaState, count } of groups) {
    counts.total += count;
    counts.byStatus[status] = (counts.byStatus[status] ?? 0) + count;
    if (slaState === null) continue;
    counts.awaiting += count;
    counts.bySlaState[slaState] = (counts.bySlaState[slaState] ?? 0) + count;
  }
  return counts;
}
