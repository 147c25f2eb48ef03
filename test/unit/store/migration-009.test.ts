import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadMigrations, migrate, openStore, type Store } from '../../../src/store/index.js';
import { minutes, tempDir } from './fixtures.js';

describe('migration 009 (source origins)', () => {
  let tmp: ReturnType<typeof tempDir>;
  let path: string;
  const opened: Store[] = [];

  beforeEach(() => {
    tmp = tempDir();
    path = join(tmp.dir, 'dlp.sqlite');
  });
  afterEach(() => {
    for (const store of opened.splice(0)) if (store.db.open) store.close();
    tmp.cleanup();
  });

  /** A version-8 store with one scanned source and one with only incidents; `sandbox` adds the sandbox's anchor. */
  function versionEightDatabase(sandbox: boolean): void {
    const db = new Database(path);
    db.pragma('foreign_keys = ON');
    migrate(db, loadMigrations().slice(0, 8), { where: path });
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
    const store = openStore(path);
    opened.push(store);
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
    const store = openStore(path);
    opened.push(store);
    expect(store.origins.get('paloalto')).toBeNull();
    expect(store.origins.get('zscaler')).toBeNull();
    expect(store.origins.knownSources()).toEqual(['paloalto', 'zscaler']);
    expect(store.origins.holdsData('paloalto')).toBe(true);
    expect(store.origins.holdsData('zscaler')).toBe(true);
    expect(store.origins.holdsData('symantec')).toBe(false);
  });
});
