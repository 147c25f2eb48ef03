import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contentHash, isStoreError, openStore, type Store } from '../../../src/store/index.js';
import { incident, meta, minutes, tempDir } from './fixtures.js';

describe('store.transaction', () => {
  let store: Store;
  beforeEach(() => {
    store = openStore(':memory:');
  });
  afterEach(() => store.close());

  const key = { source: 'pan-prod', id: 'INC-1' };

  it('should roll back both the incident upsert and its outbox row when the work throws', () => {
    const breached = incident();
    const boom = new Error('render failed');
    let caught: unknown;
    try {
      store.transaction(() => {
        store.incidents.upsert(breached, meta({ slaState: 'breached', contentHash: contentHash(breached) }));
        expect(
          store.outbox.enqueue({
            source: 'pan-prod',
            incidentId: 'INC-1',
            kind: 'breached',
            dedupeKey: 'd1',
            createdAt: minutes(1),
          }),
        ).toBe(true);
        throw boom;
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBe(boom);
    // Neither half survives: no breach stored but unannounced, no announcement of an unstored breach.
    expect(store.incidents.get(key)).toBeNull();
    expect(store.outbox.counts()).toEqual({ pending: 0, delivered: 0, dead: 0 });
    // The dedupe key is free again, so the next scan announces the breach.
    store.transaction(() => {
      store.incidents.upsert(breached, meta({ slaState: 'breached' }));
      expect(
        store.outbox.enqueue({
          source: 'pan-prod',
          incidentId: 'INC-1',
          kind: 'breached',
          dedupeKey: 'd1',
          createdAt: minutes(2),
        }),
      ).toBe(true);
    });
    expect(store.outbox.counts().pending).toBe(1);
  });

  it('should roll back an earlier update of an existing incident too', () => {
    store.incidents.upsert(incident(), meta({ slaState: 'ok' }));
    expect(() =>
      store.transaction(() => {
        store.incidents.updateSla(key, 'breached', minutes(1));
        store.incidents.setStatus(key, 'open', 'Open', minutes(1));
        throw new Error('stop');
      }),
    ).toThrow('stop');
    expect(store.incidents.get(key)).toMatchObject({ slaState: 'ok', status: 'new' });
  });

  it('should return the value of the work and commit it', () => {
    const result = store.transaction(() => {
      store.incidents.upsert(incident(), meta());
      return store.outbox.enqueue({
        source: 'pan-prod',
        incidentId: 'INC-1',
        kind: 'due_soon',
        dedupeKey: 'x',
        createdAt: minutes(0),
      });
    });
    expect(result).toBe(true);
    expect(store.db.inTransaction).toBe(false);
    expect(store.outbox.counts().pending).toBe(1);
  });

  it('should let a nested transaction fail on its own while the outer one commits', () => {
    store.transaction(() => {
      store.incidents.upsert(incident({ id: 'kept' }), meta());
      expect(() =>
        store.transaction(() => {
          store.incidents.upsert(incident({ id: 'dropped' }), meta());
          throw new Error('inner');
        }),
      ).toThrow('inner');
    });
    expect(store.incidents.get({ source: 'pan-prod', id: 'kept' })).not.toBeNull();
    expect(store.incidents.get({ source: 'pan-prod', id: 'dropped' })).toBeNull();
  });

  it('should refuse asynchronous work', () => {
    expect(() => store.transaction(async () => 1)).toThrow(/promise/i);
    expect(store.db.inTransaction).toBe(false);
  });
});

describe('a second writer', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.cleanup());

  it('should get a busy StoreError, not a raw SqliteError, once busy_timeout runs out', () => {
    const path = join(tmp.dir, 'bot.sqlite');
    const store = openStore(path);
    store.db.pragma('busy_timeout = 50');
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    try {
      let caught: unknown;
      try {
        store.transaction(() => store.settings.set('k', 'v'));
      } catch (error) {
        caught = error;
      }
      expect(isStoreError(caught, 'busy')).toBe(true);
      expect((caught as Error).message).toMatch(/locked by another process/);
      caught = undefined;
      try {
        store.settings.set('k', 'v');
      } catch (error) {
        caught = error;
      }
      expect(isStoreError(caught, 'busy')).toBe(true);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    store.settings.set('k', 'v');
    expect(store.settings.get('k')).toBe('v');
    store.close();
  });
});
