import { canonicalJson, sha256hex } from './canonical-json.js';

export const AUDIT_SURFACES = ['cli', 'slack', 'teams', 'scheduler', 'console'] as const;
export type AuditSurface = (typeof AUDIT_SURFACES)[number];
export const AUDIT_OUTCOMES = ['ok', 'allowed', 'denied', 'failed'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** Short scalar facts about an event. Never snippets, secrets or raw payloads. */
export type AuditDetail = Readonly<Record<string, string | number | boolean | null>>;

/** The `prev_hash` of row 1. */
export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEvent {
  at: Date;
  /** Who, e.g. `slack:U123 alice@corp`, or `system`. */
  actor: string;
  surface: AuditSurface;
  /** Dotted, e.g. `scan.source`, `incident.assign`, `incident.snippets`. */
  action: string;
  source?: string | null;
  incidentId?: string | null;
  outcome: AuditOutcome;
  correlationId?: string | null;
  detail?: AuditDetail;
}

export interface AuditRow {
  seq: number;
  at: Date;
  actor: string;
  surface: AuditSurface;
  action: string;
  source: string | null;
  incidentId: string | null;
  outcome: AuditOutcome;
  correlationId: string | null;
  detail: AuditDetail;
  prevHash: string;
  hash: string;
}

/** An `audit_events` row as SQLite returns it. */
export interface AuditRecord {
  seq: number;
  at: number;
  actor: string;
  surface: string;
  action: string;
  source: string | null;
  incident_id: string | null;
  outcome: string;
  correlation_id: string | null;
  /** Canonical JSON of the detail object. */
  detail: string;
  prev_hash: string;
  hash: string;
}

/**
 * `sha256hex(prev_hash + "\n" + canonicalJson([seq, at, actor, surface, action, source, incident_id,
 * outcome, correlation_id, detail]))`, with `at` in epoch milliseconds and `detail` as an object. Anyone
 * with the rows can recompute it: the chain shows tampering, it does not prevent it (keep the head hash
 * somewhere else to catch a rewritten or truncated tail).
 */
export function chainHash(
  prevHash: string,
  record: Omit<AuditRecord, 'detail' | 'prev_hash' | 'hash'>,
  detail: unknown,
): string {
  const fields = [
    record.seq,
    record.at,
    record.actor,
    record.surface,
    record.action,
    record.source,
    record.incident_id,
    record.outcome,
    record.correlation_id,
    detail,
  ];
  return sha256hex(`${prevHash}\n${canonicalJson(fields)}`);
}

/** The hash a stored row should have (optionally as if it sat at another seq); null if its detail is unreadable. */
export function recomputeHash(record: AuditRecord, seq: number = record.seq): string | null {
  let detail: unknown;
  try {
    detail = JSON.parse(record.detail);
    return chainHash(record.prev_hash, { ...record, seq }, detail);
  } catch {
    return null;
  }
}
