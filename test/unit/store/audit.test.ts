import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GENESIS_HASH, openStore, type Store } from '../../../src/store/index.js';
import { event, forgeHash, minutes } from './fixtures.js';

describe('audit log', () => {
  let store: Store;
  beforeEach(() => {
    store = openStore(':memory:');
  });
  afterEach(() => store.close());

  it('should number rows 1, 2, 3 and chain each to the previous hash from the genesis hash', () => {
    expect(store.audit.head()).toBeNull();
    const rows = [0, 1, 2].map((n) => store.audit.append(event({ at: minutes(n) })));
    expect(rows.map((row) => row.seq)).toEqual([1, 2, 3]);
    expect(rows[0]?.prevHash).toBe(GENESIS_HASH);
    expect(rows[1]?.prevHash).toBe(rows[0]?.hash);
    expect(rows[2]?.prevHash).toBe(rows[1]?.hash);
    expect(new Set(rows.map((row) => row.hash)).size).toBe(3);
    expect(store.audit.head()).toEqual({ seq: 3, hash: rows[2]?.hash });
  });

  it('should chain a batch from appendMany exactly as the same events appended one by one', () => {
    const other = openStore(':memory:');
    try {
      const events = [0, 1, 2, 3].map((n) => event({ at: minutes(n), detail: { n } }));
      store.audit.append(event({ at: minutes(-1) }));
      other.audit.append(event({ at: minutes(-1) }));
      expect(store.audit.appendMany(events)).toBe(4);
      for (const e of events) other.audit.append(e);
      expect([...store.audit.iterate()]).toEqual([...other.audit.iterate()]);
      expect(store.audit.verify()).toMatchObject({ ok: true });
    } finally {
      other.close();
    }
  });

  it('should compute the documented hash over the stored fields', () => {
    store.audit.append(event({ detail: { z: 1, a: 'first', flag: true, none: null } }));
    const raw = store.db.prepare('SELECT * FROM audit_events WHERE seq = 1').get() as Parameters<
      typeof forgeHash
    >[0] & {
      hash: string;
    };
    expect(raw.detail).toBe('{"a":"first","flag":true,"none":null,"z":1}');
    expect(raw.at).toBe(minutes(0).getTime());
    expect(raw.hash).toBe(forgeHash(raw));
  });

  it('should return the stored row from append with nulls for what the event left out', () => {
    const row = store.audit.append({
      at: minutes(3),
      actor: 'system',
      surface: 'scheduler',
      action: 'scan.completed',
      outcome: 'ok',
    });
    expect(row).toEqual({
      seq: 1,
      at: minutes(3),
      actor: 'system',
      surface: 'scheduler',
      action: 'scan.completed',
      source: null,
      incidentId: null,
      outcome: 'ok',
      correlationId: null,
      detail: {},
      prevHash: GENESIS_HASH,
      hash: row.hash,
    });
    expect([...store.audit.iterate()]).toEqual([row]);
  });

  it('should verify an untouched chain and an empty one', () => {
    expect(store.audit.verify()).toEqual({ ok: true, rows: 0, headHash: null });
    for (let n = 0; n < 5; n += 1) store.audit.append(event({ at: minutes(n) }));
    expect(store.audit.verify()).toEqual({ ok: true, rows: 5, headHash: store.audit.head()?.hash });
  });

  it('should append and verify 10,000 rows', () => {
    store.transaction(() => {
      for (let n = 0; n < 10_000; n += 1) {
        store.audit.append(event({ at: new Date(minutes(0).getTime() + n), detail: { n } }));
      }
    });
    const result = store.audit.verify();
    expect(result).toEqual({ ok: true, rows: 10_000, headHash: store.audit.head()?.hash });
  });

  it('should export rows with since inclusive and until exclusive, in seq order', () => {
    for (let n = 0; n < 6; n += 1) store.audit.append(event({ at: minutes(n * 10), detail: { n } }));
    const seqs = (range: Parameters<Store['audit']['iterate']>[0]) => [...store.audit.iterate(range)].map((r) => r.seq);
    expect(seqs({})).toEqual([1, 2, 3, 4, 5, 6]);
    expect(seqs({ since: minutes(20) })).toEqual([3, 4, 5, 6]);
    expect(seqs({ until: minutes(20) })).toEqual([1, 2]);
    expect(seqs({ since: minutes(10), until: minutes(40) })).toEqual([2, 3, 4]);
    expect(seqs({ since: minutes(11), until: minutes(19) })).toEqual([]);
    const [first] = store.audit.iterate({ since: minutes(50) });
    expect(first?.detail).toEqual({ n: 5 });
    expect(first?.at).toEqual(minutes(50));
  });

  it('should block UPDATE and DELETE with triggers', () => {
    store.audit.append(event());
    expect(() => store.db.prepare("UPDATE audit_events SET actor = 'mallory' WHERE seq = 1").run()).toThrow(
      'audit_events is append-only',
    );
    expect(() => store.db.prepare('DELETE FROM audit_events').run()).toThrow('audit_events is append-only');
    expect(store.audit.verify()).toMatchObject({ ok: true, rows: 1 });
  });

  it('should roll back an audit row with the transaction it was appended in, leaving no gap', () => {
    store.audit.append(event());
    expect(() =>
      store.transaction(() => {
        store.audit.append(event({ action: 'incident.note' }));
        throw new Error('vendor call failed');
      }),
    ).toThrow('vendor call failed');
    expect(store.audit.append(event({ outcome: 'failed' })).seq).toBe(2);
    expect(store.audit.verify()).toMatchObject({ ok: true, rows: 2 });
  });

  it('should refuse events that are malformed or carry forbidden detail', () => {
    expect(() => store.audit.append(event({ action: 'Assign' }))).toThrow(/dotted/);
    expect(() => store.audit.append(event({ surface: 'email' as never }))).toThrow(/surface/);
    expect(() => store.audit.append(event({ outcome: 'maybe' as never }))).toThrow(/outcome/);
    expect(() => store.audit.append(event({ actor: '' }))).toThrow(/actor/);
    expect(() => store.audit.append(event({ detail: { snippetText: 'x' } }))).toThrow(/never audited/);
    expect(() => store.audit.append(event({ detail: { accessToken: 'x' } }))).toThrow(/never audited/);
    expect(() => store.audit.append(event({ detail: { nested: { a: 1 } as never } }))).toThrow(/short scalar/);
    expect(() => store.audit.append(event({ detail: { n: Number.NaN } }))).toThrow(/short scalar/);
    expect(store.audit.head()).toBeNull();
  });

  it('should clip long detail text so an untrusted file name cannot bloat the log', () => {
    const row = store.audit.append(event({ detail: { fileName: 'x'.repeat(10_000) } }));
    expect(String(row.detail.fileName)).toHaveLength(256);
    expect(store.audit.verify()).toMatchObject({ ok: true });
  });
});
