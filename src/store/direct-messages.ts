import type { Database } from 'better-sqlite3';
import type { IncidentKey } from '../domain/incident.js';
import { fromMillis, fromMillisOrNull, toMillis } from './values.js';

/** Which notice a DM is: its heading is kept when the DM is redrawn. */
export type DirectMessageKind = 'reminder' | 'escalation';

/** A reminder or escalation DM as sent: where it sits, so it can be updated when the incident's card changes. */
export interface DirectMessage {
  source: string;
  incidentId: string;
  kind: DirectMessageKind;
  surface: string;
  /** The DM's own channel or conversation (not the person's user id): what an update names. */
  channel: string;
  messageId: string;
  sentAt: Date;
  updatedAt: Date;
  /** Failed updates since the last one that went through. */
  retryAttempts: number;
  /** When to redraw a DM whose last update failed; null while it shows its incident's card. */
  retryAt: Date | null;
}

export interface DirectMessageRepo {
  record(key: IncidentKey, kind: DirectMessageKind, ref: DmRef, at: Date): void;
  listForIncident(key: IncidentKey): DirectMessage[];
  /** Records an update that went through: the DM is up to date again. */
  touch(ref: DmRef, at: Date): boolean;
  /** Records a failed update: the DM is redrawn from `retryAt` on, by a later delivery run. */
  markStale(ref: DmRef, attempts: number, retryAt: Date): boolean;
  /** DMs whose retry is due, oldest first. */
  dueForRetry(now: Date, limit: number): DirectMessage[];
  /** Forgets a DM the platform no longer has (deleted by the person, or the chat is gone). */
  forget(ref: DmRef): boolean;
}

export interface DmRef {
  surface: string;
  channel: string;
  messageId: string;
}

interface Row {
  source: string;
  incident_id: string;
  kind: DirectMessageKind;
  surface: string;
  channel: string;
  message_id: string;
  sent_at: number;
  updated_at: number;
  retry_attempts: number;
  retry_at: number | null;
}

const fromRow = (row: Row): DirectMessage => ({
  source: row.source,
  incidentId: row.incident_id,
  kind: row.kind,
  surface: row.surface,
  channel: row.channel,
  messageId: row.message_id,
  sentAt: fromMillis(row.sent_at),
  updatedAt: fromMillis(row.updated_at),
  retryAttempts: row.retry_attempts,
  retryAt: fromMillisOrNull(row.retry_at),
});

export function createDirectMessageRepo(db: Database): DirectMessageRepo {
  const record = db.prepare<[string, string, string, string, string, string, number, number]>(
    `INSERT INTO direct_messages (surface, channel, message_id, kind, source, incident_id, sent_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  );
  const list = db.prepare<[string, string], Row>(
    'SELECT * FROM direct_messages WHERE source = ? AND incident_id = ? ORDER BY sent_at, surface, channel, message_id',
  );
  const touch = db.prepare<[number, string, string, string]>(
    `UPDATE direct_messages SET updated_at = ?, retry_attempts = 0, retry_at = NULL
     WHERE surface = ? AND channel = ? AND message_id = ?`,
  );
  const markStale = db.prepare<[number, number, string, string, string]>(
    'UPDATE direct_messages SET retry_attempts = ?, retry_at = ? WHERE surface = ? AND channel = ? AND message_id = ?',
  );
  const due = db.prepare<[number, number], Row>(
    'SELECT * FROM direct_messages WHERE retry_at IS NOT NULL AND retry_at <= ? ORDER BY retry_at LIMIT ?',
  );
  const forget = db.prepare<[string, string, string]>(
    'DELETE FROM direct_messages WHERE surface = ? AND channel = ? AND message_id = ?',
  );
  return {
    record(key, kind, ref, at) {
      const ms = toMillis(at);
      record.run(ref.surface, ref.channel, ref.messageId, kind, key.source, key.id, ms, ms);
    },
    listForIncident: (key) => list.all(key.source, key.id).map(fromRow),
    touch: (ref, at) => touch.run(toMillis(at), ref.surface, ref.channel, ref.messageId).changes > 0,
    markStale: (ref, attempts, retryAt) =>
      markStale.run(attempts, toMillis(retryAt), ref.surface, ref.channel, ref.messageId).changes > 0,
    dueForRetry: (now, limit) => due.all(toMillis(now), limit).map(fromRow),
    forget: (ref) => forget.run(ref.surface, ref.channel, ref.messageId).changes > 0,
  };
}
