import type { Database } from 'better-sqlite3';
import type { IncidentKey } from '../domain/incident.js';
import {
  type AuditDetail,
  type AuditEvent,
  type AuditOutcome,
  type AuditRecord,
  type AuditRow,
  type AuditSurface,
  chainHash,
  GENESIS_HASH,
} from './audit-chain.js';
import { normaliseAuditEvent } from './audit-event.js';
import { type AuditHead, type AuditVerification, createAuditVerifier } from './audit-verify.js';
import { canonicalJson } from './canonical-json.js';
import { StoreError } from './errors.js';
import { fromMillis, toMillis } from './values.js';

export interface AuditRange {
  /** Inclusive. */
  since?: Date;
  /** Exclusive, so consecutive ranges never export a row twice. */
  until?: Date;
}

export interface AuditLog {
  /** Chains and stores one event; its seq is the previous head's plus one. */
  append(event: AuditEvent): AuditRow;
  /** Chains and stores these events in order, in one transaction (a scan's write-back rows); returns how many. */
  appendMany(events: readonly AuditEvent[]): number;
  /** Walks the whole chain and reports the first problem; with `saved`, also proves that head is still in it. */
  verify(saved?: AuditHead): AuditVerification;
  /** Rows in seq order, for export. Finish iterating before writing. */
  iterate(range?: AuditRange): IterableIterator<AuditRow>;
  head(): AuditHead | null;
  /** The incident's rows, newest first, at most `limit` of them (for `/dlp history`). */
  forIncident(key: IncidentKey, limit: number): AuditRow[];
}

// Wider than any Date (±8.64e15 ms), so an open end of a range needs no second statement.
const BEFORE_ALL = Number.MIN_SAFE_INTEGER;
const AFTER_ALL = Number.MAX_SAFE_INTEGER;

function fromRecord(record: AuditRecord): AuditRow {
  let detail: AuditDetail;
  try {
    detail = JSON.parse(record.detail) as AuditDetail;
  } catch (error) {
    throw new StoreError('corrupt', `audit row ${record.seq} has unreadable detail; run the audit verification`, {
      cause: error,
    });
  }
  return {
    seq: record.seq,
    at: fromMillis(record.at),
    actor: record.actor,
    surface: record.surface as AuditSurface,
    action: record.action,
    source: record.source,
    incidentId: record.incident_id,
    outcome: record.outcome as AuditOutcome,
    correlationId: record.correlation_id,
    detail,
    prevHash: record.prev_hash,
    hash: record.hash,
  };
}

export function createAuditLog(db: Database): AuditLog {
  const headStmt = db.prepare<[], { seq: number; hash: string }>(
    'SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1',
  );
  const insertStmt = db.prepare<[AuditRecord]>(
    `INSERT INTO audit_events
       (seq, at, actor, surface, action, source, incident_id, outcome, correlation_id, detail, prev_hash, hash)
     VALUES
       (@seq, @at, @actor, @surface, @action, @source, @incident_id, @outcome, @correlation_id, @detail, @prev_hash, @hash)`,
  );
  const rangeStmt = db.prepare<[number, number], AuditRecord>(
    'SELECT * FROM audit_events WHERE at >= ? AND at < ? ORDER BY seq',
  );
  // seq is the rowid, which the (source, incident_id) index carries: the index alone gives the order.
  const incidentStmt = db.prepare<[string, string, number], AuditRecord>(
    'SELECT * FROM audit_events WHERE source = ? AND incident_id = ? ORDER BY seq DESC LIMIT ?',
  );

  /** Chains one event after `head` and inserts it; the caller holds the write transaction. */
  const chainAfter = (head: { seq: number; hash: string } | undefined, input: AuditEvent): AuditRecord => {
    const event = normaliseAuditEvent(input);
    const fields = {
      seq: head ? head.seq + 1 : 1,
      at: toMillis(event.at),
      actor: event.actor,
      surface: event.surface,
      action: event.action,
      source: event.source ?? null,
      incident_id: event.incidentId ?? null,
      outcome: event.outcome,
      correlation_id: event.correlationId ?? null,
    };
    const prevHash = head?.hash ?? GENESIS_HASH;
    const record: AuditRecord = {
      ...fields,
      detail: canonicalJson(event.detail),
      prev_hash: prevHash,
      hash: chainHash(prevHash, fields, event.detail),
    };
    insertStmt.run(record);
    return record;
  };
  const append = db.transaction((input: AuditEvent): AuditRow => fromRecord(chainAfter(headStmt.get(), input)));
  // One head read for the whole batch: each row chains on the one inserted before it.
  const appendMany = db.transaction((inputs: readonly AuditEvent[]): number => {
    let head = headStmt.get();
    for (const input of inputs) head = chainAfter(head, input);
    return inputs.length;
  });

  function* iterate(range: AuditRange = {}): Generator<AuditRow, void, undefined> {
    const since = range.since ? toMillis(range.since) : BEFORE_ALL;
    const until = range.until ? toMillis(range.until) : AFTER_ALL;
    for (const record of rangeStmt.iterate(since, until)) yield fromRecord(record);
  }

  return {
    // IMMEDIATE takes the write lock before reading the head, so two writers cannot pick the same seq.
    append: (event) => append.immediate(event),
    appendMany: (events) => appendMany.immediate(events),
    verify: createAuditVerifier(db),
    iterate,
    head: () => headStmt.get() ?? null,
    forIncident(key, limit) {
      if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
      return incidentStmt.all(key.source, key.id, limit).map(fromRecord);
    },
  };
}
