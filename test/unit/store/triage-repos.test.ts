import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LocalAssignee, openStore, REQUEST_RETENTION_MS, type Store } from '../../../src/store/index.js';
import { event, incident, meta, minutes } from './fixtures.js';

const KEY = { source: 'pan-prod', id: 'INC-1' };
const alice: LocalAssignee = { email: 'alice@corp.example', display: 'Alice', surface: 'slack', chatUserId: 'U1' };

describe('store: triage records', () => {
  let store: Store;
  beforeEach(() => {
    store = openStore(':memory:');
    store.incidents.upsert(incident({ id: 'INC-1' }), meta());
    store.incidents.upsert(incident({ id: 'INC-2' }), meta());
  });
  afterEach(() => store.close());

  describe('triage (local assignee and closure)', () => {
    it('should return null for an incident with nothing recorded here', () => {
      expect(store.triage.get(KEY)).toBeNull();
    });

    it('should set, replace and clear the local assignee without touching the closure', () => {
      store.triage.setAssignee(KEY, alice, 'slack:U9 bob@corp.example', minutes(1));
      expect(store.triage.get(KEY)).toEqual({
        source: 'pan-prod',
        incidentId: 'INC-1',
        assignee: alice,
        assignedBy: 'slack:U9 bob@corp.example',
        assignedAt: minutes(1),
        closure: null,
      });
      const carol: LocalAssignee = { email: null, display: 'Carol', surface: null, chatUserId: null };
      store.triage.setAssignee(KEY, carol, 'slack:U1 alice@corp.example', minutes(2));
      expect(store.triage.get(KEY)?.assignee).toEqual(carol);
      expect(store.triage.get(KEY)?.assignedAt).toEqual(minutes(2));

      store.triage.setClosure(KEY, { status: 'false_positive', reason: 'test data', by: 'x', at: minutes(3) });
      store.triage.setAssignee(KEY, null, 'ignored', minutes(4));
      expect(store.triage.get(KEY)).toMatchObject({ assignee: null, assignedBy: null, assignedAt: null });
      expect(store.triage.get(KEY)?.closure).toEqual({
        status: 'false_positive',
        reason: 'test data',
        by: 'x',
        at: minutes(3),
      });
    });

    it('should set and clear a closure without touching the assignee, and keep the two incidents apart', () => {
      store.triage.setAssignee(KEY, alice, 'by', minutes(1));
      store.triage.setClosure(KEY, { status: 'false_positive', reason: null, by: 'bob', at: minutes(2) });
      expect(store.triage.get(KEY)?.closure).toEqual({
        status: 'false_positive',
        reason: null,
        by: 'bob',
        at: minutes(2),
      });
      expect(store.triage.get({ source: 'pan-prod', id: 'INC-2' })).toBeNull();
      store.triage.setClosure(KEY, null);
      expect(store.triage.get(KEY)?.closure).toBeNull();
      expect(store.triage.get(KEY)?.assignee).toEqual(alice);
    });

    it('should refuse a record for an incident that is not stored (foreign key)', () => {
      expect(() => store.triage.setAssignee({ source: 'pan-prod', id: 'nope' }, alice, 'by', minutes(1))).toThrow(
        /FOREIGN KEY/,
      );
    });
  });

  describe('notes', () => {
    it('should add notes and list them oldest first, per incident', () => {
      const second = store.notes.add({
        source: 'pan-prod',
        incidentId: 'INC-1',
        at: minutes(5),
        author: 'b',
        text: 'two',
      });
      const first = store.notes.add({
        source: 'pan-prod',
        incidentId: 'INC-1',
        at: minutes(1),
        author: 'a',
        text: 'one',
      });
      store.notes.add({ source: 'pan-prod', incidentId: 'INC-2', at: minutes(1), author: 'a', text: 'other' });
      expect(first.id).toBeGreaterThan(second.id);
      expect(store.notes.list(KEY)).toEqual([
        { id: first.id, source: 'pan-prod', incidentId: 'INC-1', at: minutes(1), author: 'a', text: 'one' },
        { id: second.id, source: 'pan-prod', incidentId: 'INC-1', at: minutes(5), author: 'b', text: 'two' },
      ]);
    });

    it('should keep a note of exactly 2,000 characters (emoji count as one) and refuse 2,001 or none', () => {
      const note = (text: string) => ({ source: 'pan-prod', incidentId: 'INC-1', at: minutes(1), author: 'a', text });
      expect(store.notes.add(note('😀'.repeat(2_000))).text).toHaveLength(4_000);
      expect(() => store.notes.add(note('x'.repeat(2_001)))).toThrow(RangeError);
      expect(() => store.notes.add(note(''))).toThrow(RangeError);
      expect(store.notes.list(KEY)).toHaveLength(1);
      // The table enforces the limit too, for anything that bypasses the repository.
      expect(() =>
        store.db
          .prepare(
            "INSERT INTO local_notes (source, incident_id, at, author, text) VALUES ('pan-prod', 'INC-1', 1, 'a', ?)",
          )
          .run('x'.repeat(2_001)),
      ).toThrow(/CHECK/);
    });
  });

  describe('requests (idempotency claims)', () => {
    it('should grant the first claim of a key and refuse the same key within the window', () => {
      expect(store.requests.claim('k', minutes(0), 10_000)).toBe(true);
      expect(store.requests.claim('k', new Date(minutes(0).getTime() + 9_999), 10_000)).toBe(false);
      expect(store.requests.claim('other', minutes(0), 10_000)).toBe(true);
    });

    it('should grant the key again once the window has passed since the last granted claim', () => {
      expect(store.requests.claim('k', minutes(0), 10_000)).toBe(true);
      expect(store.requests.claim('k', new Date(minutes(0).getTime() + 5_000), 10_000)).toBe(false);
      expect(store.requests.claim('k', new Date(minutes(0).getTime() + 10_000), 10_000)).toBe(true);
      expect(store.requests.claim('k', new Date(minutes(0).getTime() + 15_000), 10_000)).toBe(false);
    });

    it('should let a released key be claimed again at once', () => {
      expect(store.requests.claim('k', minutes(0), REQUEST_RETENTION_MS)).toBe(true);
      store.requests.release('k');
      expect(store.requests.claim('k', minutes(0), REQUEST_RETENTION_MS)).toBe(true);
    });

    it('should delete claims older than a day now and then', () => {
      store.requests.claim('old', minutes(0), 10_000);
      const count = () => store.db.prepare('SELECT count(*) FROM action_requests').pluck().get();
      store.requests.claim('recent', minutes(60 * 23), 10_000);
      expect(count()).toBe(2);
      store.requests.claim('later', minutes(60 * 25), 10_000);
      expect(store.db.prepare('SELECT key FROM action_requests ORDER BY key').pluck().all()).toEqual([
        'later',
        'recent',
      ]);
    });

    it('should refuse a window it cannot honour', () => {
      expect(() => store.requests.claim('k', minutes(0), 0)).toThrow(RangeError);
      expect(() => store.requests.claim('k', minutes(0), REQUEST_RETENTION_MS + 1)).toThrow(RangeError);
    });
  });

  describe('postings.threadId and outbox.detail', () => {
    const posting = { source: 'pan-prod', incidentId: 'INC-1', surface: 'slack', channel: 'C1', postedAt: minutes(1) };

    it('should keep the thread a card was posted in, null for a parent message', () => {
      store.postings.record({ ...posting, messageId: 'm1' });
      expect(store.postings.find('pan-prod', 'INC-1', 'slack', 'C1')?.threadId).toBeNull();
      store.postings.record({ ...posting, channel: 'C2', messageId: 'm2', threadId: '1700.0001' });
      expect(store.postings.findByMessage('slack', 'C2', 'm2')?.threadId).toBe('1700.0001');
    });

    it('should keep an intent detail, clipped to 500 characters, and null without one', () => {
      const base = { source: 'pan-prod', incidentId: 'INC-1', kind: 'updated' as const, createdAt: minutes(0) };
      store.outbox.enqueue({ ...base, dedupeKey: 'a', detail: 'Assigned to Alice by Bob' });
      store.outbox.enqueue({ ...base, dedupeKey: 'b', detail: 'y'.repeat(501) });
      store.outbox.enqueue({ ...base, dedupeKey: 'c', detail: 'z'.repeat(500) });
      store.outbox.enqueue({ ...base, dedupeKey: 'd' });
      const rows = store.outbox.due(minutes(0), 10);
      expect(rows.map((row) => row.detail?.length ?? null)).toEqual([24, 500, 500, null]);
      expect(rows[0]?.detail).toBe('Assigned to Alice by Bob');
      expect(rows[1]?.detail?.endsWith('y…')).toBe(true);
      expect(rows[2]?.detail).toBe('z'.repeat(500));
    });
  });

  describe('audit.forIncident', () => {
    it("should return only that incident's rows, newest first, at most limit", () => {
      store.audit.append(event({ at: minutes(0), action: 'incident.assign' }));
      store.audit.append(event({ at: minutes(1), incidentId: 'INC-2' }));
      store.audit.append(event({ at: minutes(2), action: 'incident.note' }));
      store.audit.append(event({ at: minutes(3), source: 'zwa-prod' }));
      store.audit.append(event({ at: minutes(4), action: 'incident.snippets' }));
      expect(store.audit.forIncident(KEY, 10).map((row) => [row.seq, row.action])).toEqual([
        [5, 'incident.snippets'],
        [3, 'incident.note'],
        [1, 'incident.assign'],
      ]);
      expect(store.audit.forIncident(KEY, 2).map((row) => row.seq)).toEqual([5, 3]);
      expect(store.audit.forIncident({ source: 'pan-prod', id: 'none' }, 10)).toEqual([]);
      expect(() => store.audit.forIncident(KEY, 0)).toThrow(RangeError);
    });

    it('should use the (source, incident_id) index', () => {
      const plan = store.db
        .prepare(
          'EXPLAIN QUERY PLAN SELECT * FROM audit_events WHERE source = ? AND incident_id = ? ORDER BY seq DESC LIMIT ?',
        )
        .all('a', 'b', 1) as { detail: string }[];
      const text = plan.map((row) => row.detail).join('\n');
      expect(text).toMatch(/audit_events_incident/);
      expect(text).not.toMatch(/TEMP B-TREE/);
    });
  });

  describe('deleteSource', () => {
    it('should delete local triage and notes with the incidents of that source, and nothing else', () => {
      store.incidents.upsert(incident({ source: 'zwa-prod', id: 'Z1' }), meta());
      store.triage.setAssignee(KEY, alice, 'by', minutes(1));
      store.triage.setAssignee({ source: 'zwa-prod', id: 'Z1' }, alice, 'by', minutes(1));
      store.notes.add({ source: 'pan-prod', incidentId: 'INC-2', at: minutes(1), author: 'a', text: 'n' });
      store.notes.add({ source: 'zwa-prod', incidentId: 'Z1', at: minutes(1), author: 'a', text: 'n' });
      store.requests.claim('slack:U1:assign:pan-prod:INC-1:r1', minutes(1), 10_000);

      expect(store.incidents.deleteSource('pan-prod')).toBe(2);

      const count = (table: string) => store.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get();
      expect(store.triage.get(KEY)).toBeNull();
      expect(store.notes.list({ source: 'pan-prod', id: 'INC-2' })).toEqual([]);
      expect([count('triage_local'), count('local_notes')]).toEqual([1, 1]);
      expect(store.triage.get({ source: 'zwa-prod', id: 'Z1' })?.assignee).toEqual(alice);
      // Claims are not tied to an incident; they expire on their own.
      expect(count('action_requests')).toBe(1);
    });
  });
});
