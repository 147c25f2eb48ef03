import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from '../../../src/store/index.js';
import { event, incident, meta, minutes } from './fixtures.js';
import { upgradeFixture } from './upgrade-fixture.js';

const LATEST = loadMigrations().length;

describe('migration 002 (triage records)', () => {
  const file = upgradeFixture();

  /** A database file as a release with only migration 001 left it, with a row in each table that 002 touches. */
  function versionOneDatabase(): void {
    const db = file.olderDatabase(1, { foreignKeys: true });
    // Today's repositories write today's columns, so version-1 rows go in with plain SQL.
    const memory = file.open(':memory:');
    db.prepare(
      `INSERT INTO incidents (source, id, severity, status, raw_status, created_at, content_hash, first_seen_at,
         last_seen_at, last_seen_scan, assignee)
       VALUES ('pan-prod', 'INC-1', 'high', 'new', 'New', ?, ?, ?, ?, 'scan-1', 'alice@corp.example')`,
    ).run(minutes(0).getTime(), 'a'.repeat(64), minutes(1).getTime(), minutes(1).getTime());
    db.prepare(
      `INSERT INTO postings (source, incident_id, surface, channel, message_id, posted_at, updated_at)
       VALUES ('pan-prod', 'INC-1', 'slack', 'C1', '1700.01', 1, 1)`,
    ).run();
    db.prepare(
      `INSERT INTO outbox (source, incident_id, kind, dedupe_key, created_at, next_attempt_at)
       VALUES ('pan-prod', 'INC-1', 'breached', 'pan-prod:INC-1#breached', 1, 1)`,
    ).run();
    // A real chained audit row, copied from a store that wrote it.
    memory.audit.append(event());
    const row = memory.db.prepare('SELECT * FROM audit_events').get() as Record<string, unknown>;
    db.prepare(
      `INSERT INTO audit_events VALUES
         (@seq, @at, @actor, @surface, @action, @source, @incident_id, @outcome, @correlation_id, @detail, @prev_hash, @hash)`,
    ).run(row);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    db.close();
  }

  it('should upgrade a version-1 database in place, keeping every row and filling the new columns with null', () => {
    versionOneDatabase();
    const store = file.open();

    expect(store.db.pragma('user_version', { simple: true })).toBe(LATEST);
    expect(store.incidents.get({ source: 'pan-prod', id: 'INC-1' })?.assignee).toBe('alice@corp.example');
    expect(store.postings.find('pan-prod', 'INC-1', 'slack', 'C1')).toMatchObject({
      messageId: '1700.01',
      threadId: null,
    });
    expect(store.outbox.due(minutes(0), 10).map((row) => [row.dedupeKey, row.detail])).toEqual([
      ['pan-prod:INC-1#breached', null],
    ]);
    expect(store.audit.verify()).toMatchObject({ ok: true, rows: 1 });
    expect(store.triage.get({ source: 'pan-prod', id: 'INC-1' })).toBeNull();
  });

  it('should let the upgraded database take triage records, notes and claims, with cascades working', () => {
    versionOneDatabase();
    const store = file.open();
    const key = { source: 'pan-prod', id: 'INC-1' };
    store.triage.setClosure(key, { status: 'false_positive', reason: null, by: 'bob', at: minutes(2) });
    store.notes.add({ source: 'pan-prod', incidentId: 'INC-1', at: minutes(2), author: 'bob', text: 'hello' });
    expect(store.requests.claim('r', minutes(2), 10_000)).toBe(true);
    store.incidents.upsert(incident({ id: 'INC-2' }), meta());
    expect(store.incidents.deleteSource('pan-prod')).toBe(2);
    expect(store.db.prepare('SELECT count(*) FROM triage_local').pluck().get()).toBe(0);
    expect(store.db.prepare('SELECT count(*) FROM local_notes').pluck().get()).toBe(0);
  });

  it('should be a no-op when opened a second time', () => {
    versionOneDatabase();
    file.open().close();
    const again = new Database(file.path());
    expect(migrate(again, loadMigrations(), { where: file.path() })).toEqual({ from: LATEST, to: LATEST });
    again.close();
  });
});
