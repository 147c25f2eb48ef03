import { describe, expect, it } from 'vitest';
import { LONG_ID } from '../../../adapters/dlp/simulator-kit/hostile.js';
import { shortKeyOf } from '../../../src/domain/vendor-id.js';
import { contentHash } from '../../../src/store/index.js';
import { incident, meta, minutes } from './fixtures.js';
import { upgradeFixture } from './upgrade-fixture.js';

describe('migration 011 (short keys for ids too long for a button)', () => {
  const file = upgradeFixture();

  const open = () => file.open();

  it('should map a long id back from its short key once a scan has stored it again after the upgrade', () => {
    const db = file.olderDatabase(10);
    db.prepare(
      `INSERT INTO incidents (source, id, severity, status, raw_status, created_at, content_hash, first_seen_at,
         last_seen_at, last_seen_scan)
       VALUES ('pan', ?, 'high', 'new', 'NEW', ?, ?, ?, ?, 'scan-1')`,
    ).run(LONG_ID, minutes(0).getTime(), 'a'.repeat(64), minutes(1).getTime(), minutes(1).getTime());
    db.close();

    const store = open();
    const shortKey = shortKeyOf({ source: 'pan', id: LONG_ID }) as string;
    expect(store.incidents.keyOf({ source: 'pan', shortKey })).toBeNull();
    const rescanned = incident({ source: 'pan', id: LONG_ID });
    store.incidents.upsert(rescanned, meta({ contentHash: contentHash(rescanned) }));
    expect(store.incidents.keyOf({ source: 'pan', shortKey })).toEqual({ source: 'pan', id: LONG_ID });
  });

  it('should give a short key to long ids only, per source, and pass a full key through unread', () => {
    const store = open();
    for (const [source, id] of [
      ['pan', LONG_ID],
      ['pan', 'INC-7'],
      ['zwa', `${LONG_ID}-2`],
    ] as const) {
      const stored = incident({ source, id });
      store.incidents.upsert(stored, meta({ contentHash: contentHash(stored) }));
    }
    const keys = store.db.prepare('SELECT source, id, short_key FROM incidents ORDER BY source, id').all();
    expect(keys).toEqual([
      { source: 'pan', id: LONG_ID, short_key: shortKeyOf({ source: 'pan', id: LONG_ID }) },
      { source: 'pan', id: 'INC-7', short_key: null },
      { source: 'zwa', id: `${LONG_ID}-2`, short_key: shortKeyOf({ source: 'zwa', id: `${LONG_ID}-2` }) },
    ]);
    const ofZwa = shortKeyOf({ source: 'zwa', id: `${LONG_ID}-2` }) as string;
    expect(store.incidents.keyOf({ source: 'pan', shortKey: ofZwa })).toBeNull();
    expect(store.incidents.keyOf({ source: 'pan', id: 'not-stored' })).toEqual({ source: 'pan', id: 'not-stored' });
  });
});
