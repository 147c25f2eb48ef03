import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Incident } from '../../../src/domain/incident.js';
import { contentHash, openStore, type Store } from '../../../src/store/index.js';
import { bareIncident, incident, meta, minutes, T0 } from './fixtures.js';

describe('incidents repository', () => {
  let store: Store;
  beforeEach(() => {
    store = openStore(':memory:');
  });
  afterEach(() => store.close());

  it('should return null from upsert for a new incident and the previous row on the next upsert', () => {
    const first = incident();
    expect(store.incidents.upsert(first, meta({ contentHash: contentHash(first) }))).toBeNull();
    const changed = incident({ status: 'in_review', rawStatus: 'Investigating', assignee: 'carol@corp.example' });
    const previous = store.incidents.upsert(
      changed,
      meta({ contentHash: contentHash(changed), slaState: 'breached', seenAt: minutes(20), scanId: 'scan-2' }),
    );
    expect(previous).toMatchObject({
      status: 'new',
      rawStatus: 'New',
      assignee: 'alice@corp.example',
      contentHash: contentHash(first),
      slaState: 'ok',
      lastSeenScan: 'scan-1',
    });
    expect(store.incidents.get(changed)).toMatchObject({
      status: 'in_review',
      slaState: 'breached',
      contentHash: contentHash(changed),
    });
  });

  it('should round-trip every field of a fully populated incident with Dates', () => {
    const original = incident();
    const m = meta({ contentHash: contentHash(original) });
    store.incidents.upsert(original, m);
    const stored = store.incidents.get(original);
    expect(stored).toEqual({
      ...original,
      contentHash: m.contentHash,
      slaState: 'ok',
      slaDeadline: m.slaDeadline,
      firstSeenAt: m.seenAt,
      lastSeenAt: m.seenAt,
      lastSeenScan: 'scan-1',
    });
    expect(stored?.createdAt).toBeInstanceOf(Date);
    expect(stored?.updatedAt).toBeInstanceOf(Date);
  });

  it('should round-trip every nullable field as null, including the SLA columns', () => {
    const original = bareIncident({ id: 'INC-bare', severity: 'info', status: 'open' });
    store.incidents.upsert(original, meta({ slaState: null, slaDeadline: null }));
    const stored = store.incidents.get(original);
    expect(stored).toEqual({
      ...original,
      contentHash: 'a'.repeat(64),
      slaState: null,
      slaDeadline: null,
      firstSeenAt: minutes(10),
      lastSeenAt: minutes(10),
      lastSeenScan: 'scan-1',
    });
    for (const field of ['updatedAt', 'policy', 'actor', 'channel', 'fileName', 'matchCount', 'link'] as const) {
      expect(stored?.[field]).toBeNull();
    }
  });

  it('should keep first_seen_at and move last_seen_at and last_seen_scan on a rescan', () => {
    store.incidents.upsert(incident(), meta({ seenAt: minutes(10), scanId: 'scan-1' }));
    store.incidents.upsert(incident(), meta({ seenAt: minutes(70), scanId: 'scan-2' }));
    const stored = store.incidents.get({ source: 'pan-prod', id: 'INC-1' });
    expect(stored?.firstSeenAt).toEqual(minutes(10));
    expect(stored?.lastSeenAt).toEqual(minutes(70));
    expect(stored?.lastSeenScan).toBe('scan-2');
  });

  it('should write nothing for an unchanged incident with unchanged: skip, and still write a changed one', () => {
    store.incidents.upsert(incident(), meta({ seenAt: minutes(10), scanId: 'scan-1' }));
    const changes = () => (store.db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
    const before = changes();
    const previous = store.incidents.upsert(
      incident(),
      meta({ seenAt: minutes(70), scanId: 'scan-2', unchanged: 'skip' }),
    );
    expect(changes()).toBe(before);
    expect(previous?.lastSeenScan).toBe('scan-1');
    expect(store.incidents.get({ source: 'pan-prod', id: 'INC-1' })?.lastSeenScan).toBe('scan-1');

    store.incidents.upsert(incident({ fileName: 'other.xlsx' }), meta({ scanId: 'scan-3', unchanged: 'skip' }));
    expect(store.incidents.get({ source: 'pan-prod', id: 'INC-1' })).toMatchObject({
      fileName: 'other.xlsx',
      lastSeenScan: 'scan-3',
    });
  });

  it('should rewrite a row a click changed under an unchanged hash when the same record is reported again', () => {
    const original = incident();
    const m = meta({ contentHash: contentHash(original), unchanged: 'skip' as const });
    store.incidents.upsert(original, m);
    store.incidents.setStatus(original, 'false_positive', 'marked in chat', minutes(30));
    store.incidents.upsert(original, { ...m, scanId: 'scan-2' });
    expect(store.incidents.get(original)).toMatchObject({ status: 'new', rawStatus: 'New', lastSeenScan: 'scan-2' });
  });

  it('should return null from get for an unknown key, and keys are per source', () => {
    store.incidents.upsert(incident(), meta());
    expect(store.incidents.get({ source: 'pan-prod', id: 'INC-2' })).toBeNull();
    expect(store.incidents.get({ source: 'zwa-prod', id: 'INC-1' })).toBeNull();
  });

  it('should update only the SLA columns with updateSla', () => {
    store.incidents.upsert(incident(), meta());
    expect(store.incidents.updateSla({ source: 'pan-prod', id: 'INC-1' }, 'escalated', minutes(480))).toBe(true);
    const stored = store.incidents.get({ source: 'pan-prod', id: 'INC-1' });
    expect(stored).toMatchObject({ slaState: 'escalated', slaDeadline: minutes(480), status: 'new' });
    expect(store.incidents.updateSla({ source: 'pan-prod', id: 'INC-1' }, null, null)).toBe(true);
    expect(store.incidents.get({ source: 'pan-prod', id: 'INC-1' })).toMatchObject({
      slaState: null,
      slaDeadline: null,
    });
    expect(store.incidents.updateSla({ source: 'pan-prod', id: 'nope' }, 'ok', null)).toBe(false);
  });

  it('should set status, raw status and updated_at with setStatus but keep the reported content hash', () => {
    const original = incident();
    store.incidents.upsert(original, meta({ contentHash: contentHash(original) }));
    expect(store.incidents.setStatus(original, 'false_positive', 'marked in chat', minutes(30))).toBe(true);
    const stored = store.incidents.get(original);
    expect(stored).toMatchObject({ status: 'false_positive', rawStatus: 'marked in chat', updatedAt: minutes(30) });
    expect(stored?.contentHash).toBe(contentHash(original));
    expect(store.incidents.setStatus({ source: 'pan-prod', id: 'nope' }, 'resolved', 'x', T0)).toBe(false);
  });

  it('should reject values outside the canonical enums at the database too', () => {
    const bad = { ...incident(), severity: 'urgent' } as unknown as Incident;
    expect(() => store.incidents.upsert(bad, meta())).toThrow(/CHECK constraint failed/);
    expect(() => store.incidents.upsert(incident(), meta({ slaState: 'late' as never }))).toThrow(/CHECK/);
  });

  it('should have no column that could hold a snippet, matched content or a raw payload', () => {
    const columns = store.db.prepare("SELECT name FROM pragma_table_info('incidents')").pluck().all();
    expect(columns).toEqual([
      'source',
      'id',
      'severity',
      'status',
      'raw_status',
      'created_at',
      'updated_at',
      'policy',
      'actor',
      'channel',
      'application',
      'file_name',
      'match_count',
      'assignee',
      'link',
      'content_hash',
      'sla_state',
      'sla_deadline',
      'first_seen_at',
      'last_seen_at',
      'last_seen_scan',
      'closed_at',
      'left_triage_at',
      // A hash of source and id, for ids too long for a button (migration 011).
      'short_key',
    ]);
  });

  it('should store only allowlisted fields even when the caller passes extra properties', () => {
    const withExtras = { ...incident(), snippet: 'SSN 123-45-6789', raw: { secret: 1 } } as unknown as Incident;
    store.incidents.upsert(withExtras, meta());
    const dump = JSON.stringify(store.db.prepare('SELECT * FROM incidents').all());
    expect(dump).not.toContain('123-45-6789');
    expect(store.incidents.get(withExtras)).not.toHaveProperty('snippet');
  });
});
