import type { Database } from 'better-sqlite3';
import { fromMillis, fromMillisOrNull, toMillis } from './values.js';

export const CONTROL_KINDS = ['scan'] as const;
export type ControlKind = (typeof CONTROL_KINDS)[number];
export type ControlState = 'pending' | 'running' | 'done' | 'failed' | 'cancelled';

/** Something a one-shot command asked the running `serve` to do; `args` and `result` are JSON text. */
export interface ControlRequest {
  id: number;
  kind: ControlKind;
  args: string;
  requester: string;
  requestedAt: Date;
  state: ControlState;
  takenBy: string | null;
  finishedAt: Date | null;
  result: string | null;
}

export interface ControlRequestRepo {
  add(kind: ControlKind, args: string, requester: string, at: Date): number;
  /** The oldest pending request, marked running by `holder` in the same transaction; null when there is none. */
  take(holder: string): ControlRequest | null;
  finish(id: number, state: 'done' | 'failed', result: string, at: Date): void;
  /** Withdraws a request not finished yet (its asker gave up, or the process that took it is gone). */
  cancel(id: number, at: Date): boolean;
  get(id: number): ControlRequest | null;
}

interface Row {
  id: number;
  kind: ControlKind;
  args: string;
  requester: string;
  requested_at: number;
  state: ControlState;
  taken_by: string | null;
  finished_at: number | null;
  result: string | null;
}

const fromRow = (row: Row): ControlRequest => ({
  id: row.id,
  kind: row.kind,
  args: row.args,
  requester: row.requester,
  requestedAt: fromMillis(row.requested_at),
  state: row.state,
  takenBy: row.taken_by,
  finishedAt: fromMillisOrNull(row.finished_at),
  result: row.result,
});

export function createControlRequestRepo(db: Database): ControlRequestRepo {
  const addStmt = db.prepare<[string, string, string, number]>(
    'INSERT INTO control_requests (kind, args, requester, requested_at) VALUES (?, ?, ?, ?)',
  );
  const nextStmt = db.prepare<[], Row>("SELECT * FROM control_requests WHERE state = 'pending' ORDER BY id LIMIT 1");
  const takeStmt = db.prepare<[string, number]>(
    "UPDATE control_requests SET state = 'running', taken_by = ? WHERE id = ? AND state = 'pending'",
  );
  const finishStmt = db.prepare<[string, number, string, number]>(
    "UPDATE control_requests SET state = ?, finished_at = ?, result = ? WHERE id = ? AND state = 'running'",
  );
  const cancelStmt = db.prepare<[number, number]>(
    `UPDATE control_requests SET state = 'cancelled', finished_at = ? WHERE id = ? AND state IN ('pending', 'running')`,
  );
  const getStmt = db.prepare<[number], Row>('SELECT * FROM control_requests WHERE id = ?');
  const take = db.transaction((holder: string): ControlRequest | null => {
    const row = nextStmt.get();
    if (!row) return null;
    takeStmt.run(holder, row.id);
    return fromRow({ ...row, state: 'running', taken_by: holder });
  });
  return {
    add: (kind, args, requester, at) => Number(addStmt.run(kind, args, requester, toMillis(at)).lastInsertRowid),
    take: (holder) => take.immediate(holder),
    finish(id, state, result, at) {
      finishStmt.run(state, toMillis(at), result, id);
    },
    cancel: (id, at) => cancelStmt.run(toMillis(at), id).changes > 0,
    get(id) {
      const row = getStmt.get(id);
      return row ? fromRow(row) : null;
    },
  };
}
