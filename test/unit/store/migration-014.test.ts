import { describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/index.js';
import { bareIncident, incident, meta, minutes } from './fixtures.js';
import { upgradeFixture } from './upgrade-fixture.js';

describe('migration 014 (closed_at written by the insert itself)', () => {
  const file = upgradeFixture();

  const open = () => file.open();
  const closedAt = (store: Store, id: string) =>
    store.db.prepare('SELECT closed_at FROM incidents WHERE id = ?').pluck().get(id) as number | null;
  const changes = (store: Store) => store.db.prepare('SELECT total_changes()').pluck().get() as number;

  it('should give a new closed incident its update time as closed_at, else the time it was seen, and none when open', () => {
    const store = open();
    store.incidents.upsert(incident({ id: 'resolved', status: 'resolved', updatedAt: minutes(5) }), meta());
    store.incidents.upsert(bareIncident({ id: 'dismissed', status: 'dismissed' }), meta({ seenAt: minutes(10) }));
    store.incidents.upsert(incident({ id: 'fp', status: 'false_positive', updatedAt: minutes(7) }), meta());
    store.incidents.upsert(incident({ id: 'open', status: 'in_review' }), meta());

    expect(closedAt(store, 'resolved')).toBe(minutes(5).getTime());
    expect(closedAt(store, 'dismissed')).toBe(minutes(10).getTime());
    expect(closedAt(store, 'fp')).toBe(minutes(7).getTime());
    expect(closedAt(store, 'open')).toBeNull();
  });

  it('should write a new closed incident once, with no second write of its row after the insert', () => {
    const store = open();
    const before = changes(store);
    store.incidents.upsert(incident({ id: 'resolved', status: 'resolved' }), meta());
    // total_changes() counts what triggers write too: the dropped insert trigger made this 2.
    expect(changes(store) - before).toBe(1);
  });

  it('should keep closed_at following later status changes, as before', () => {
    const store = open();
    const key = { source: 'pan-prod', id: 'INC-1' };
    store.incidents.upsert(incident({ status: 'resolved', updatedAt: minutes(5) }), meta());
    store.incidents.setStatus(key, 'open', 'Reopened', minutes(20));
    expect(closedAt(store, 'INC-1')).toBeNull();
    store.incidents.setStatus(key, 'dismissed', 'Dismissed', minutes(30));
    expect(closedAt(store, 'INC-1')).toBe(minutes(30).getTime());
  });

  it('should keep the closed_at of incidents stored before the upgrade', () => {
    const db = file.olderDatabase(13);
    db.prepare(
      `INSERT INTO incidents (source, id, severity, status, raw_status, created_at, updated_at, content_hash,
         first_seen_at, last_seen_at, last_seen_scan)
       VALUES ('pan-prod', 'old', 'high', 'resolved', 'Resolved', ?, ?, ?, ?, ?, 'scan-0')`,
    ).run(minutes(0).getTime(), minutes(3).getTime(), 'a'.repeat(64), minutes(4).getTime(), minutes(4).getTime());
    db.close();

    const store = open();
    expect(closedAt(store, 'old')).toBe(minutes(3).getTime());
    store.incidents.upsert(incident({ id: 'new', status: 'resolved', updatedAt: minutes(8) }), meta());
    expect(closedAt(store, 'new')).toBe(minutes(8).getTime());
  });
});
