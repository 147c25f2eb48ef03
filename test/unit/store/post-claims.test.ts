import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../../src/store/index.js';
import { incident, meta, minutes } from './fixtures.js';

const key = { source: 'pan-prod', incidentId: 'INC-1', surface: 'slack', channel: 'C0DLP' };

describe('post claims', () => {
  let store: Store;
  afterEach(() => store.close());

  it('should keep the first claim time and thread when a send is retried, and clear the claim', () => {
    store = openStore(':memory:');
    store.incidents.upsert(incident(), meta());

    store.postClaims.claim({ ...key, threadId: '1.000100', claimedAt: minutes(10) });
    store.postClaims.claim({ ...key, threadId: null, claimedAt: minutes(20) });

    expect(store.postClaims.find(key)).toEqual({ ...key, threadId: '1.000100', claimedAt: minutes(10) });
    expect(store.postClaims.list()).toHaveLength(1);
    expect(store.postClaims.clear(key)).toBe(true);
    expect(store.postClaims.find(key)).toBeNull();
    expect(store.postClaims.clear(key)).toBe(false);
  });

  it('should list claims oldest first and go with their incident', () => {
    store = openStore(':memory:');
    store.incidents.upsert(incident(), meta());
    store.incidents.upsert(incident({ source: 'sym', id: 'S-1' }), meta());
    store.postClaims.claim({ ...key, source: 'sym', incidentId: 'S-1', threadId: null, claimedAt: minutes(5) });
    store.postClaims.claim({ ...key, threadId: null, claimedAt: minutes(30) });

    expect(store.postClaims.list().map((c) => c.incidentId)).toEqual(['S-1', 'INC-1']);
    store.incidents.deleteSource('sym');
    expect(store.postClaims.list().map((c) => c.incidentId)).toEqual(['INC-1']);
    expect(store.postClaims.count()).toBe(1);
  });
});
