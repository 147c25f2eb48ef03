import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Incident, IncidentKey } from '../../../src/domain/incident.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { incident, meta, minutes } from './fixtures.js';

describe('incident queries', () => {
  let store: Store;
  beforeEach(() => {
    store = openStore(':memory:');
  });
  afterEach(() => store.close());

  const ids = (rows: Iterable<IncidentKey>) => [...rows].map((row) => `${row.source}:${row.id}`);

  describe('iterateOpen', () => {
    beforeEach(() => {
      const rows: Incident[] = [
        incident({ id: 'c', createdAt: minutes(30) }),
        incident({ id: 'b', createdAt: minutes(10), severity: 'low' }),
        incident({ source: 'zwa-prod', id: 'a', createdAt: minutes(10) }),
        incident({ id: 'a', createdAt: minutes(10) }),
        incident({ id: 'closed', createdAt: minutes(0), status: 'resolved' }),
        incident({ id: 'fp', createdAt: minutes(1), status: 'false_positive' }),
        incident({ id: 'dismissed', createdAt: minutes(2), status: 'dismissed' }),
        incident({ id: 'review', createdAt: minutes(40), status: 'in_review' }),
        incident({ id: 'open', createdAt: minutes(50), status: 'open', severity: 'low' }),
      ];
      store.transaction(() => {
        for (const row of rows) store.incidents.upsert(row, meta());
      });
    });

    it('should list open incidents oldest first, ties by source then id, skipping closed ones', () => {
      expect(ids(store.incidents.iterateOpen())).toEqual([
        'pan-prod:a',
        'pan-prod:b',
        'zwa-prod:a',
        'pan-prod:c',
        'pan-prod:review',
        'pan-prod:open',
      ]);
    });

    it('should filter by source, by severity and by both', () => {
      expect(ids(store.incidents.iterateOpen({ source: 'zwa-prod' }))).toEqual(['zwa-prod:a']);
      expect(ids(store.incidents.iterateOpen({ severity: 'low' }))).toEqual(['pan-prod:b', 'pan-prod:open']);
      expect(ids(store.incidents.iterateOpen({ source: 'pan-prod', severity: 'high' }))).toEqual([
        'pan-prod:a',
        'pan-prod:c',
        'pan-prod:review',
      ]);
      expect(ids(store.incidents.iterateOpen({ source: 'zwa-prod', severity: 'low' }))).toEqual([]);
    });

    it('should yield StoredIncident rows with Dates and release the statement when the caller stops early', () => {
      for (const row of store.incidents.iterateOpen()) {
        expect(row.createdAt).toBeInstanceOf(Date);
        expect(row.lastSeenScan).toBe('scan-1');
        break;
      }
      // A still-open iterator would make this write throw "connection is busy".
      expect(() => store.settings.set('after', 'break')).not.toThrow();
    });
  });

  it('should list the open incidents a full pass did not return with openNotSeenIn', () => {
    store.incidents.upsert(incident({ id: 'seen' }), meta({ scanId: 'scan-2' }));
    store.incidents.upsert(incident({ id: 'gone', createdAt: minutes(5) }), meta({ scanId: 'scan-1' }));
    store.incidents.upsert(incident({ id: 'gone-closed', status: 'resolved' }), meta({ scanId: 'scan-1' }));
    store.incidents.upsert(incident({ source: 'zwa-prod', id: 'other' }), meta({ scanId: 'scan-1' }));
    expect(ids(store.incidents.openNotSeenIn('pan-prod', 'scan-2'))).toEqual(['pan-prod:gone']);
    expect(ids([...store.incidents.iterateOpenNotSeenIn('pan-prod', 'scan-2')])).toEqual(['pan-prod:gone']);
    expect(ids([...store.incidents.iterateOpenNotSeenIn('pan-prod', 'scan-9')])).toEqual([
      'pan-prod:seen',
      'pan-prod:gone',
    ]);
  });

  it('should count by status and SLA state, overall and per source', () => {
    store.incidents.upsert(incident({ id: '1' }), meta({ slaState: 'ok' }));
    store.incidents.upsert(incident({ id: '2' }), meta({ slaState: 'breached' }));
    store.incidents.upsert(incident({ id: '3', status: 'open' }), meta({ slaState: 'breached' }));
    store.incidents.upsert(incident({ id: '4', status: 'resolved' }), meta({ slaState: null, slaDeadline: null }));
    store.incidents.upsert(incident({ source: 'zwa-prod', id: '5' }), meta({ slaState: 'due_soon' }));
    const all = store.incidents.countBy();
    expect(all).toMatchObject({
      total: 5,
      awaiting: 4,
      byStatus: { new: 3, open: 1, resolved: 1 },
      bySlaState: { ok: 1, due_soon: 1, breached: 2 },
    });
    expect(all.groups).toContainEqual({ status: 'new', slaState: 'breached', count: 1 });
    expect(all.groups).toContainEqual({ status: 'resolved', slaState: null, count: 1 });
    const pan = store.incidents.countBy('pan-prod');
    expect(pan).toMatchObject({ total: 4, awaiting: 3, bySlaState: { ok: 1, breached: 2 } });
    expect(pan.bySlaState.due_soon).toBeUndefined();
    expect(store.incidents.countBy('nobody')).toEqual({
      total: 0,
      awaiting: 0,
      byStatus: {},
      bySlaState: {},
      groups: [],
    });
  });
});
