import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadMigrations, migrate, openStore, type Store } from '../../../src/store/index.js';
import { minutes, tempDir } from './fixtures.js';

describe('migration 010 (runs on demand)', () => {
  let tmp: ReturnType<typeof tempDir>;
  let path: string;
  let store: Store | undefined;

  beforeEach(() => {
    tmp = tempDir();
    path = join(tmp.dir, 'dlp.sqlite');
  });
  afterEach(() => {
    store?.close();
    tmp.cleanup();
  });

  it('should keep every recorded run and refuse a second run only for a schedule time', () => {
    const db = new Database(path);
    migrate(db, loadMigrations().slice(0, 9), { where: path });
    const insert = db.prepare(
      `INSERT INTO job_runs (job, slot, reason, started_at, finished_at, outcome, detail) VALUES (?, ?, ?, ?, ?, 'ok', ?)`,
    );
    insert.run('scan:pan', minutes(0).getTime(), 'scheduled', minutes(0).getTime(), minutes(1).getTime(), '3 fetched');
    insert.run('scan:pan', minutes(5).getTime(), 'manual', minutes(5).getTime(), minutes(6).getTime(), '4 fetched');
    db.close();

    store = openStore(path);
    expect(store.jobRuns.recent('scan:pan', 10).map((r) => [r.reason, r.detail])).toEqual([
      ['manual', '4 fetched'],
      ['scheduled', '3 fetched'],
    ]);
    expect(store.jobRuns.lastSlot('scan:pan')).toEqual(minutes(0));
    expect(store.jobRuns.start('scan:pan', minutes(0), 'catch_up', minutes(9))).toBeNull();
    expect(store.jobRuns.start('scan:pan', minutes(5), 'manual', minutes(9))).not.toBeNull();
    expect(store.jobRuns.last('scan:pan')?.startedAt).toEqual(minutes(9));
  });
});
