import type { Incident, IncidentStatus, Severity } from '../domain/incident.js';
import { shortKeyOf } from '../domain/vendor-id.js';
import type { SlaState, StoredIncident, UpsertMeta } from './types.js';
import { fromMillis, fromMillisOrNull, toMillis, toMillisOrNull } from './values.js';

/** An `incidents` row as SQLite returns it. */
export interface IncidentRow {
  source: string;
  id: string;
  severity: Severity;
  status: IncidentStatus;
  raw_status: string;
  created_at: number;
  updated_at: number | null;
  policy: string | null;
  actor: string | null;
  channel: string | null;
  application: string | null;
  file_name: string | null;
  match_count: number | null;
  assignee: string | null;
  link: string | null;
  short_key: string | null;
  content_hash: string;
  sla_state: SlaState | null;
  sla_deadline: number | null;
  first_seen_at: number;
  last_seen_at: number;
  last_seen_scan: string;
}

export function fromIncidentRow(row: IncidentRow): StoredIncident {
  return {
    source: row.source,
    id: row.id,
    severity: row.severity,
    status: row.status,
    rawStatus: row.raw_status,
    createdAt: fromMillis(row.created_at),
    updatedAt: fromMillisOrNull(row.updated_at),
    policy: row.policy,
    actor: row.actor,
    channel: row.channel,
    application: row.application,
    fileName: row.file_name,
    matchCount: row.match_count,
    assignee: row.assignee,
    link: row.link,
    contentHash: row.content_hash,
    slaState: row.sla_state,
    slaDeadline: fromMillisOrNull(row.sla_deadline),
    firstSeenAt: fromMillis(row.first_seen_at),
    lastSeenAt: fromMillis(row.last_seen_at),
    lastSeenScan: row.last_seen_scan,
  };
}

/** Named parameters for the upsert. Fields are copied one by one: nothing outside the allowlist is stored. */
export function upsertParams(incident: Incident, meta: UpsertMeta) {
  return {
    source: incident.source,
    id: incident.id,
    severity: incident.severity,
    status: incident.status,
    raw_status: incident.rawStatus,
    created_at: toMillis(incident.createdAt),
    updated_at: toMillisOrNull(incident.updatedAt),
    policy: incident.policy ?? null,
    actor: incident.actor ?? null,
    channel: incident.channel ?? null,
    application: incident.application ?? null,
    file_name: incident.fileName ?? null,
    match_count: incident.matchCount ?? null,
    assignee: incident.assignee ?? null,
    link: incident.link ?? null,
    short_key: shortKeyOf(incident),
    content_hash: meta.contentHash,
    sla_state: meta.slaState,
    sla_deadline: toMillisOrNull(meta.slaDeadline),
    seen_at: toMillis(meta.seenAt),
    scan_id: meta.scanId,
  };
}

export type UpsertParams = ReturnType<typeof upsertParams>;
