import type { Database } from 'better-sqlite3';
import { type AuditRecord, GENESIS_HASH, recomputeHash } from './audit-chain.js';

/** `truncated`: the log ends before a head saved earlier, so its newest rows were removed. */
export type AuditProblem = 'edited' | 'inserted' | 'deleted' | 'truncated';

/** A chain head as `audit verify` prints it, saved outside the database to compare later. */
export interface AuditHead {
  seq: number;
  hash: string;
}

export type AuditVerification =
  | { ok: true; rows: number; headHash: string | null }
  | { ok: false; seq: number; problem: AuditProblem; message: string };

type Failure = Extract<AuditVerification, { ok: false }>;

const fail = (seq: number, problem: AuditProblem, message: string): Failure => ({ ok: false, seq, problem, message });

/**
 * Walks the chain in seq order and names the first row that is wrong and how. On its own it cannot see the
 * newest rows removed, the newest row rewritten with a recomputed hash, or rows appended with valid hashes:
 * the chain has no key. A head saved somewhere else (a daily job's log, a ticket) closes the first two: given
 * `saved`, the chain must still hold that row with that hash. Every row is chained onto the one before, so an
 * intact chain that holds it holds every row up to it unchanged.
 */
export function createAuditVerifier(db: Database): (saved?: AuditHead) => AuditVerification {
  const allStmt = db.prepare<[], AuditRecord>('SELECT * FROM audit_events ORDER BY seq');
  const bySeqStmt = db.prepare<[number], AuditRecord>('SELECT * FROM audit_events WHERE seq = ?');

  // Reached when a row is intact but does not link to its predecessor. If the next row links to it, this
  // row is genuine and the predecessor was rewritten (hash recomputed); otherwise this row is the forgery.
  function brokenLink(record: AuditRecord): Failure {
    const seq = record.seq;
    if (seq === 1) return fail(1, 'inserted', 'audit row 1 was inserted: it does not start from the genesis hash');
    const next = bySeqStmt.get(seq + 1);
    if (next && next.prev_hash === record.hash) {
      return fail(
        seq - 1,
        'edited',
        `audit row ${seq - 1} was rewritten with a recomputed hash: row ${seq} no longer links to it`,
      );
    }
    return fail(seq, 'inserted', `audit row ${seq} was inserted: it does not link to row ${seq - 1}`);
  }

  // Reached when a row matches neither its own hash nor its predecessor: renumbered, or forged outright.
  function foreignRow(record: AuditRecord): Failure {
    const seq = record.seq;
    if (recomputeHash(record, seq + 1) === record.hash) {
      return fail(seq, 'deleted', `audit row ${seq} was deleted and the rows after it renumbered`);
    }
    if (seq > 1 && recomputeHash(record, seq - 1) === record.hash) {
      return fail(seq - 1, 'inserted', `audit row ${seq - 1} was inserted and the rows after it renumbered`);
    }
    return fail(seq, 'inserted', `audit row ${seq} was inserted: it matches neither its hash nor row ${seq - 1}`);
  }

  function check(record: AuditRecord, expected: number, prevHash: string): Failure | null {
    if (record.seq < expected) {
      return fail(record.seq, 'inserted', `audit row ${record.seq} was inserted: the chain starts at row 1`);
    }
    if (record.seq > expected) {
      const missing = record.seq - 1 === expected ? `row ${expected} was` : `rows ${expected}–${record.seq - 1} were`;
      return fail(expected, 'deleted', `audit ${missing} deleted`);
    }
    const intact = recomputeHash(record) === record.hash;
    const linked = record.prev_hash === prevHash;
    if (intact && linked) return null;
    if (linked) return staleHash(record);
    return intact ? brokenLink(record) : foreignRow(record);
  }

  // Reached when a row links to its predecessor but its content does not match its hash. If the chain
  // went on from that hash, the row was there and has been changed; if not, the row was slipped in.
  function staleHash(record: AuditRecord): Failure {
    const seq = record.seq;
    const next = bySeqStmt.get(seq + 1);
    if (next && next.prev_hash !== record.hash) {
      return fail(seq, 'inserted', `audit row ${seq} was inserted: row ${seq + 1} does not continue from it`);
    }
    return fail(seq, 'edited', `audit row ${seq} was edited: it no longer matches its hash`);
  }

  function savedHeadMismatch(record: AuditRecord, saved: AuditHead | undefined): Failure | null {
    if (!saved || record.seq !== saved.seq || record.hash === saved.hash) return null;
    return fail(
      saved.seq,
      'edited',
      `audit row ${saved.seq} no longer has the saved head hash: the chain up to it was rewritten (rows changed and their hashes recomputed)`,
    );
  }

  function truncation(rows: number, saved: AuditHead | undefined): Failure | null {
    if (!saved || rows >= saved.seq) return null;
    const gone = rows + 1 === saved.seq ? `row ${saved.seq} was` : `rows ${rows + 1}–${saved.seq} were`;
    return fail(
      rows + 1,
      'truncated',
      `the audit log ends at row ${rows} but the saved head is row ${saved.seq}: ${gone} removed from the end`,
    );
  }

  return (saved) => {
    let expected = 1;
    let prevHash = GENESIS_HASH;
    let headHash: string | null = null;
    for (const record of allStmt.iterate()) {
      const failure = check(record, expected, prevHash) ?? savedHeadMismatch(record, saved);
      if (failure) return failure;
      prevHash = record.hash;
      headHash = record.hash;
      expected += 1;
    }
    const rows = expected - 1;
    return truncation(rows, saved) ?? { ok: true, rows, headHash };
  };
}
