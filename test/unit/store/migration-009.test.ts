import { describe, expect, it } from 'vitest';
import { minutes } from './fixtures.js';
import { upgradeFixture } from './upgrade-fixture.js';

describe('migration 009 (source origins)', () => {
  const file = upgradeFixture();

  /** A version-8 store with one scanned source and one with only incidents; `sandbox` adds the sandbox's anchor. */
  function versionEightDatabase(sandbox: boolean): void {
    const db = file.olderDatabase(8, { foreignKeys: true });
    db.prepare(`INSERT INTO scan_state (source, watermark, scans_since_full_pass) VALUES ('paloalto', 1, 0)`).run();
    db.prepare(
      `INSERT INTO incidents (source, id, severity, status, raw_status, created_at, content_hash, first_seen_at,
         last_seen_at, last_seen_scan)
       VALUES ('zscaler', '7', 'high', 'new', 'NEW', ?, ?, ?, ?, 'scan-1')`,
    ).run(minutes(0).getTime(), 'a'.repeat(64), minutes(1).getTime(), minutes(1).getTime());
    if (sandbox)
      db.prepare(`INSERT INTO settings (key, value) VALUES ('sandbox.anchor', ?)`).run(minutes(0).toISOString());
    db.close();
  }

  it('should mark the sources of a store the sandbox wrote as coming from the sandbox simulator', () => {
    versionEightDatabase(true);
    const store = file.open();
    expect(store.origins.knownSources()).toEqual(['paloalto', 'zscaler']);
    for (const source of ['paloalto', 'zscaler']) {
      expect(store.origins.get(source)).toMatchObject({
        source,
        vendor: null,
        fingerprint: 'sandbox',
        endpoint: 'the built-in sandbox simulator',
      });
    }
  });

  it('should leave the sources of a configured deployment unrecorded, for their next scan to adopt', () => {
    versionEightDatabase(false);
    const store = file.open();
    expect(store.origins.get('paloalto')).toBeNull();
    expect(store.origins.get('zscaler')).toBeNull();
    expect(store.origins.knownSources()).toEqual(['paloalto', 'zscaler']);
    expect(store.origins.holdsData('paloalto')).toBe(true);
    expect(store.origins.holdsData('zscaler')).toBe(true);
    expect(store.origins.holdsData('symantec')).toBe(false);
  });
});
