import type { Database } from 'better-sqlite3';
import type { AuditEvent } from './audit-chain.js';
import type { Store } from './open.js';

/** What `forgetSource` removed, for the person who asked. */
export interface ForgottenSource {
  incidents: number;
  /** Cards posted for those incidents: they stay in their channels but are never updated again. */
  postings: number;
  /** Announcements that were still waiting to be sent. */
  queued: number;
  watermark: boolean;
}

export type ForgetAudit = Pick<AuditEvent, 'at' | 'actor' | 'surface' | 'correlationId'>;

/** Counted before the delete: the cascade does not say how many rows it took with it. */
function countsFor(db: Database, source: string) {
  const count = (sql: string) => db.prepare<[string], number>(sql).pluck().get(source) ?? 0;
  return {
    postings: count('SELECT count(*) FROM postings WHERE source = ?'),
    queued: count(`SELECT count(*) FROM outbox WHERE source = ? AND state = 'pending'`),
  };
}

/**
 * Removes everything the store holds for `source` — incidents with their cards, queued announcements, local triage
 * and notes (all cascade from the incident), the watermark and the recorded origin — in one transaction, and writes
 * an audit row. The audit trail itself is never touched: what people did to those incidents stays provable.
 */
export function forgetSource(store: Store, source: string, audit: ForgetAudit): ForgottenSource {
  return store.transaction(() => {
    const { postings, queued } = countsFor(store.db, source);
    const watermark = store.scanState.get(source) !== null;
    const incidents = store.incidents.deleteSource(source);
    store.scanState.delete(source);
    store.origins.delete(source);
    store.audit.append({
      ...audit,
      action: 'store.forget_source',
      source,
      incidentId: null,
      outcome: 'ok',
      detail: { incidents, postings, queued, watermark },
    });
    return { incidents, postings, queued, watermark };
  });
}
