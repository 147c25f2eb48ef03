import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type ScanState, type Store } from '../../../src/store/index.js';
import { incident, meta, minutes } from './fixtures.js';

describe('small repositories', () => {
  let store: Store;
  beforeEach(() => {
    store = openStore(':memory:');
  });
  afterEach(() => store.close());

  describe('scanState', () => {
    it('should return null for a source never scanned and round-trip a saved state', () => {
      expect(store.scanState.get('pan-prod')).toBeNull();
      const state: ScanState = {
        watermark: minutes(5),
        lastFullPassAt: minutes(0),
        scansSinceFullPass: 3,
        lastScanAt: minutes(6),
        lastOutcome: 'failed',
        lastError: 'unavailable: 503',
      };
      store.scanState.save('pan-prod', state);
      expect(store.scanState.get('pan-prod')).toEqual(state);
    });

    it('should overwrite on save, keep nulls, and list every scanned source', () => {
      store.scanState.save('zwa-prod', {
        watermark: minutes(1),
        lastFullPassAt: null,
        scansSinceFullPass: 0,
        lastScanAt: minutes(1),
        lastOutcome: 'ok',
        lastError: null,
      });
      const empty: ScanState = {
        watermark: null,
        lastFullPassAt: null,
        scansSinceFullPass: 0,
        lastScanAt: null,
        lastOutcome: null,
        lastError: null,
      };
      store.scanState.save('pan-prod', { ...empty, scansSinceFullPass: 9 });
      store.scanState.save('pan-prod', empty);
      expect(store.scanState.get('pan-prod')).toEqual(empty);
      expect(store.scanState.list().map((s) => s.source)).toEqual(['pan-prod', 'zwa-prod']);
      expect(store.scanState.list()[1]?.watermark).toEqual(minutes(1));
    });
  });

  describe('forgetting a source', () => {
    it('should delete its incidents with their postings and outbox rows, and its watermark, leaving others', () => {
      store.incidents.upsert(incident({ id: 'A' }), meta());
      store.incidents.upsert(incident({ source: 'zwa-prod', id: 'B' }), meta());
      store.postings.record({
        source: 'pan-prod',
        incidentId: 'A',
        surface: 'console',
        channel: 't',
        messageId: 'm1',
        postedAt: minutes(1),
      });
      store.outbox.enqueue({
        source: 'pan-prod',
        incidentId: 'A',
        kind: 'breached',
        dedupeKey: 'A#b',
        createdAt: minutes(1),
      });
      store.outbox.enqueue({
        source: 'zwa-prod',
        incidentId: 'B',
        kind: 'breached',
        dedupeKey: 'B#b',
        createdAt: minutes(1),
      });
      store.scanState.save('pan-prod', {
        watermark: minutes(1),
        lastFullPassAt: minutes(1),
        scansSinceFullPass: 0,
        lastScanAt: minutes(1),
        lastOutcome: 'ok',
        lastError: null,
      });

      expect(store.incidents.deleteSource('pan-prod')).toBe(1);
      store.scanState.delete('pan-prod');

      expect(store.incidents.get({ source: 'pan-prod', id: 'A' })).toBeNull();
      expect(store.postings.listForIncident('pan-prod', 'A')).toEqual([]);
      expect(store.outbox.due(minutes(10), 10).map((r) => r.dedupeKey)).toEqual(['B#b']);
      expect(store.scanState.get('pan-prod')).toBeNull();
      expect(store.incidents.get({ source: 'zwa-prod', id: 'B' })).not.toBeNull();
    });
  });

  describe('postings', () => {
    beforeEach(() => {
      store.incidents.upsert(incident({ id: 'INC-1' }), meta());
    });
    const key = { source: 'pan-prod', incidentId: 'INC-1', surface: 'slack', channel: 'C1' };

    it('should record a posting and find it by key and by message', () => {
      store.postings.record({ ...key, messageId: '1700.01', postedAt: minutes(1), lastRenderedHash: 'h1' });
      const expected = {
        ...key,
        messageId: '1700.01',
        postedAt: minutes(1),
        updatedAt: minutes(1),
        lastRenderedHash: 'h1',
        threadId: null,
      };
      expect(store.postings.find('pan-prod', 'INC-1', 'slack', 'C1')).toEqual(expected);
      expect(store.postings.findByMessage('slack', 'C1', '1700.01')).toEqual(expected);
      expect(store.postings.findByMessage('slack', 'C2', '1700.01')).toBeNull();
      expect(store.postings.find('pan-prod', 'INC-1', 'teams', 'C1')).toBeNull();
    });

    it('should list every posting of an incident and never replace a card on record with a second one', () => {
      expect(store.postings.record({ ...key, messageId: 'm1', postedAt: minutes(1) })).toBe(true);
      store.postings.record({ ...key, surface: 'teams', channel: '19:abc', messageId: 't1', postedAt: minutes(2) });
      expect(store.postings.record({ ...key, messageId: 'm2', postedAt: minutes(3) })).toBe(false);
      expect(store.postings.listForIncident('pan-prod', 'INC-1').map((p) => p.messageId)).toEqual(['m1', 't1']);
      expect(store.postings.findByMessage('slack', 'C1', 'm2')).toBeNull();
    });

    it('should touch updated_at and the rendered hash of an existing posting only', () => {
      store.postings.record({ ...key, messageId: 'm1', postedAt: minutes(1), lastRenderedHash: 'h1' });
      expect(store.postings.touch(key, minutes(9), 'h2')).toBe(true);
      expect(store.postings.find('pan-prod', 'INC-1', 'slack', 'C1')).toMatchObject({
        postedAt: minutes(1),
        updatedAt: minutes(9),
        lastRenderedHash: 'h2',
      });
      expect(store.postings.touch(key, minutes(10))).toBe(true);
      expect(store.postings.find('pan-prod', 'INC-1', 'slack', 'C1')?.lastRenderedHash).toBeNull();
      expect(store.postings.touch({ ...key, channel: 'C9' }, minutes(9), 'h2')).toBe(false);
    });

    it('should refuse a posting for an incident that is not stored', () => {
      expect(() =>
        store.postings.record({ ...key, incidentId: 'ghost', messageId: 'm', postedAt: minutes(1) }),
      ).toThrow(/FOREIGN KEY/);
    });
  });

  describe('identities and vendor users', () => {
    it('should put and get a chat identity, overwriting on a second put', () => {
      expect(store.identities.get('slack', 'U1')).toBeNull();
      store.identities.put({
        surface: 'slack',
        chatUserId: 'U1',
        email: null,
        displayName: null,
        updatedAt: minutes(1),
      });
      const alice = {
        surface: 'slack',
        chatUserId: 'U1',
        email: 'alice@corp.example',
        displayName: 'Alice',
        updatedAt: minutes(2),
      };
      store.identities.put(alice);
      expect(store.identities.get('slack', 'U1')).toEqual(alice);
      expect(store.identities.get('teams', 'U1')).toBeNull();
    });

    it('should map an email to a vendor user per source', () => {
      store.vendorUsers.put({ email: 'alice@corp.example', source: 'pan-prod', vendorUserId: 'u-17' });
      store.vendorUsers.put({ email: 'alice@corp.example', source: 'sym-prod', vendorUserId: 'CORP\\alice' });
      store.vendorUsers.put({ email: 'alice@corp.example', source: 'pan-prod', vendorUserId: 'u-18' });
      expect(store.vendorUsers.get('alice@corp.example', 'pan-prod')?.vendorUserId).toBe('u-18');
      expect(store.vendorUsers.get('alice@corp.example', 'sym-prod')).toEqual({
        email: 'alice@corp.example',
        source: 'sym-prod',
        vendorUserId: 'CORP\\alice',
      });
      expect(store.vendorUsers.get('bob@corp.example', 'pan-prod')).toBeNull();
    });
  });

  describe('settings', () => {
    it('should return null for a missing key and the last value set', () => {
      expect(store.settings.get('sandbox.anchor')).toBeNull();
      store.settings.set('sandbox.anchor', '2025-03-01T10:00:00.000Z');
      store.settings.set('sandbox.anchor', '2025-03-02T10:00:00.000Z');
      expect(store.settings.get('sandbox.anchor')).toBe('2025-03-02T10:00:00.000Z');
    });
  });
});
