import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type OutboxIntent, openStore, type Store } from '../../../src/store/index.js';
import { incident, meta, minutes } from './fixtures.js';

describe('outbox repository', () => {
  let store: Store;
  beforeEach(() => {
    store = openStore(':memory:');
    store.incidents.upsert(incident({ id: 'INC-1' }), meta());
    store.incidents.upsert(incident({ id: 'INC-2' }), meta());
  });
  afterEach(() => store.close());

  const intent = (overrides: Partial<OutboxIntent> = {}): OutboxIntent => ({
    source: 'pan-prod',
    incidentId: 'INC-1',
    kind: 'breached',
    dedupeKey: 'pan-prod:INC-1:breached',
    createdAt: minutes(0),
    ...overrides,
  });

  it('should write an intent once per dedupe key and report whether it was new', () => {
    expect(store.outbox.enqueue(intent())).toBe(true);
    expect(store.outbox.enqueue(intent({ createdAt: minutes(5), kind: 'escalated' }))).toBe(false);
    expect(store.outbox.enqueue(intent({ dedupeKey: 'pan-prod:INC-1:escalated', kind: 'escalated' }))).toBe(true);
    const due = store.outbox.due(minutes(10), 10);
    expect(due.map((row) => [row.kind, row.createdAt])).toEqual([
      ['breached', minutes(0)],
      ['escalated', minutes(0)],
    ]);
  });

  it('should start a new row pending with no attempts, due at createdAt unless told otherwise', () => {
    store.outbox.enqueue(intent());
    store.outbox.enqueue(intent({ dedupeKey: 'later', nextAttemptAt: minutes(30) }));
    expect(store.outbox.due(minutes(0), 10)).toEqual([
      {
        id: 1,
        source: 'pan-prod',
        incidentId: 'INC-1',
        kind: 'breached',
        dedupeKey: 'pan-prod:INC-1:breached',
        createdAt: minutes(0),
        state: 'pending',
        attempts: 0,
        nextAttemptAt: minutes(0),
        deliveredAt: null,
        lastError: null,
        detail: null,
      },
    ]);
    expect(store.outbox.due(minutes(30), 10).map((row) => row.dedupeKey)).toEqual(['pan-prod:INC-1:breached', 'later']);
  });

  it('should return due rows oldest first and honour the limit', () => {
    for (const n of [1, 2, 3]) store.outbox.enqueue(intent({ dedupeKey: `k${n}`, createdAt: minutes(n) }));
    expect(store.outbox.due(minutes(10), 2).map((row) => row.dedupeKey)).toEqual(['k1', 'k2']);
    expect(store.outbox.due(minutes(2), 10).map((row) => row.dedupeKey)).toEqual(['k1', 'k2']);
  });

  it('should hold a retried row back until its next attempt and count the attempts', () => {
    store.outbox.enqueue(intent());
    const [row] = store.outbox.due(minutes(0), 1);
    if (!row) throw new Error('expected a due row');
    expect(store.outbox.markRetry(row.id, 'rate_limited: retry after 30s', minutes(1))).toBe(true);
    expect(store.outbox.due(minutes(0), 10)).toEqual([]);
    const [retried] = store.outbox.due(minutes(1), 10);
    expect(retried).toMatchObject({ attempts: 1, lastError: 'rate_limited: retry after 30s', state: 'pending' });
    expect(store.outbox.markRetry(row.id, 'unavailable', minutes(5))).toBe(true);
    expect(store.outbox.due(minutes(4), 10)).toEqual([]);
    expect(store.outbox.due(minutes(5), 10)[0]?.attempts).toBe(2);
  });

  it('should mark delivered and dead rows final so a late retry cannot resurrect them', () => {
    store.outbox.enqueue(intent({ dedupeKey: 'a' }));
    store.outbox.enqueue(intent({ dedupeKey: 'b', incidentId: 'INC-2' }));
    const [a, b] = store.outbox.due(minutes(0), 10);
    if (!a || !b) throw new Error('expected two due rows');
    expect(store.outbox.markDelivered(a.id, minutes(1))).toBe(true);
    expect(store.outbox.markDead(b.id, 'channel_not_found')).toBe(true);
    expect(store.outbox.markRetry(a.id, 'late', minutes(2))).toBe(false);
    expect(store.outbox.markDelivered(b.id, minutes(2))).toBe(false);
    expect(store.outbox.due(minutes(60), 10)).toEqual([]);
    const rows = store.db.prepare('SELECT dedupe_key, state, attempts, delivered_at, last_error FROM outbox').all();
    expect(rows).toEqual([
      { dedupe_key: 'a', state: 'delivered', attempts: 1, delivered_at: minutes(1).getTime(), last_error: null },
      { dedupe_key: 'b', state: 'dead', attempts: 1, delivered_at: null, last_error: 'channel_not_found' },
    ]);
  });

  it('should count rows in every state, zero included', () => {
    expect(store.outbox.counts()).toEqual({ pending: 0, delivered: 0, dead: 0 });
    for (const key of ['a', 'b', 'c']) store.outbox.enqueue(intent({ dedupeKey: key }));
    const [a] = store.outbox.due(minutes(0), 1);
    if (!a) throw new Error('expected a due row');
    store.outbox.markDelivered(a.id, minutes(1));
    expect(store.outbox.counts()).toEqual({ pending: 2, delivered: 1, dead: 0 });
  });

  it('should bound a long error message', () => {
    store.outbox.enqueue(intent());
    store.outbox.markRetry(1, 'x'.repeat(5_000), minutes(1));
    expect(store.outbox.due(minutes(1), 1)[0]?.lastError).toHaveLength(1_000);
  });

  it('should refuse an intent for an incident that is not stored', () => {
    expect(() => store.outbox.enqueue(intent({ incidentId: 'ghost' }))).toThrow(/FOREIGN KEY/);
  });

  it('should fail loudly on an unknown kind instead of ignoring it like a duplicate', () => {
    expect(() => store.outbox.enqueue(intent({ kind: 'shout' as never }))).toThrow(/CHECK/);
  });
});
