import type { Database } from 'better-sqlite3';
import type { AuditEvent } from './audit-chain.js';
import type { Store } from './open.js';
import { outboxRowFrom as fromRow, type OutboxRecord as Row } from './outbox.js';
import type { OutboxRow } from './types.js';
import { toMillis } from './values.js';

/**
 * Outbox rows given up after the maximum attempts ("dead letters"): listed for `dlp-bot outbox list` and `doctor`,
 * counted for /metrics, announced once in the admin channels, and made pending again by `dlp-bot outbox retry`.
 */
export interface DeadLetterRepo {
  /** Rows not delivered (dead first, then pending, each oldest first), at most `limit`, `pending` ones only if asked. */
  undelivered(options: { limit: number; pending: boolean }): OutboxRow[];
  get(id: number): OutboxRow | null;
  /** Every dead row's id, oldest first. */
  deadIds(): number[];
  count(): number;
  /** Makes dead rows pending again, due at `now`, their attempts back to 0; returns the ids that were dead. */
  revive(ids: readonly number[], now: Date): number[];
  /** Dead rows not yet announced in the admin channels, oldest first. */
  unannounced(): OutboxRow[];
  /** Remembers that these rows were announced; a row retried and given up again is announced again. */
  markAnnounced(ids: readonly number[]): void;
}

// A setting rather than an outbox column, so this needs no migration: the ids of dead rows already announced.
const ANNOUNCED_KEY = 'outbox.deadLettersAnnounced';

export function createDeadLetterRepo(db: Database): DeadLetterRepo {
  const undelivered = db.prepare<[number, number], Row>(
    `SELECT * FROM outbox WHERE state = 'dead' OR (state = 'pending' AND ? = 1)
     ORDER BY state = 'pending', id LIMIT ?`,
  );
  const get = db.prepare<[number], Row>('SELECT * FROM outbox WHERE id = ?');
  const count = db.prepare<[], number>("SELECT count(*) FROM outbox WHERE state = 'dead'").pluck();
  const dead = db.prepare<[], Row>("SELECT * FROM outbox WHERE state = 'dead' ORDER BY id");
  const deadIds = db.prepare<[], number>("SELECT id FROM outbox WHERE state = 'dead' ORDER BY id").pluck();
  const revive = db.prepare<[number, number]>(
    `UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ? WHERE id = ? AND state = 'dead'`,
  );
  const readAnnounced = db.prepare<[string], string>('SELECT value FROM settings WHERE key = ?').pluck();
  const writeAnnounced = db.prepare<[string, string]>(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  const announced = (): Set<number> => {
    const raw = readAnnounced.get(ANNOUNCED_KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : [];
    return new Set(Array.isArray(parsed) ? parsed.filter((id): id is number => Number.isInteger(id)) : []);
  };
  // Only ids still dead are kept, so the list stays as short as the dead letters themselves.
  const remember = (ids: Iterable<number>) => {
    const stillDead = new Set(deadIds.all());
    writeAnnounced.run(ANNOUNCED_KEY, JSON.stringify([...ids].filter((id) => stillDead.has(id)).sort((a, b) => a - b)));
  };
  return {
    undelivered: ({ limit, pending }) => undelivered.all(pending ? 1 : 0, limit).map(fromRow),
    get: (id) => {
      const row = get.get(id);
      return row ? fromRow(row) : null;
    },
    deadIds: () => deadIds.all(),
    count: () => count.get() ?? 0,
    // The announced list is rewritten once for the whole batch: per row, `retry --all` grew with the square of the
    // dead letters (4,000 took two minutes).
    revive(ids, now) {
      const at = toMillis(now);
      const revived = ids.filter((id) => revive.run(at, id).changes > 0);
      if (revived.length > 0) {
        const gone = new Set(revived);
        remember([...announced()].filter((known) => !gone.has(known)));
      }
      return revived;
    },
    unannounced() {
      const known = announced();
      return dead
        .all()
        .filter((row) => !known.has(row.id))
        .map(fromRow);
    },
    markAnnounced(ids) {
      remember([...announced(), ...ids]);
    },
  };
}

export type RetryAudit = Pick<AuditEvent, 'at' | 'actor' | 'surface' | 'correlationId'>;

/**
 * Makes dead rows pending again (due now, attempts back to 0), each with an audit row, in one transaction; the
 * rows that were not dead are left alone and not audited. Returns the rows revived.
 */
export function retryDeadLetters(store: Store, ids: readonly number[], audit: RetryAudit): OutboxRow[] {
  return store.transaction(() => {
    const dead = [...new Set(ids)].flatMap((id) => {
      const row = store.deadLetters.get(id);
      return row?.state === 'dead' ? [row] : [];
    });
    const revived = new Set(
      store.deadLetters.revive(
        dead.map((row) => row.id),
        audit.at,
      ),
    );
    return dead.flatMap((row) => {
      if (!revived.has(row.id)) return [];
      store.audit.append({
        ...audit,
        action: 'outbox.retry',
        source: row.source,
        incidentId: row.incidentId,
        outcome: 'ok',
        detail: { outboxId: row.id, kind: row.kind, attempts: row.attempts },
      });
      return [row];
    });
  });
}
