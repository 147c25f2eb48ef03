import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../../src/store/index.js';
import { incident, meta, T0 } from './fixtures.js';

describe('write-back records', () => {
  let store: Store;
  beforeEach(() => {
    store = openStore(':memory:');
  });
  afterEach(() => store.close());

  it('should remember stored incidents once and hand back those not stored yet, keeping nothing for them', () => {
    const source = incident().source;
    store.incidents.upsert(incident({ id: 'stored' }), meta());

    expect(store.writeBacks.record(source, ['stored', 'later'], 'written', T0)).toEqual(['later']);
    expect(store.writeBacks.recordedIds(source)).toEqual(new Set(['stored']));
    // Recorded once: a second outcome for the same incident changes nothing and is not reported as unknown.
    expect(store.writeBacks.record(source, ['stored'], 'skipped', T0)).toEqual([]);

    store.incidents.upsert(incident({ id: 'later' }), meta());
    expect(store.writeBacks.record(source, ['later'], 'written', T0)).toEqual([]);
    expect(store.writeBacks.recordedIds(source)).toEqual(new Set(['stored', 'later']));
    expect(store.writeBacks.recordedIds('other-source')).toEqual(new Set());
  });
});
