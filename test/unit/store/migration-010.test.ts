import { describe, expect, it } from 'vitest';
import { minutes } from './fixtures.js';
import { upgradeFixture } from './upgrade-fixture.js';

describe('migration 010 (runs on demand)', () => {
  const file = upgradeFixture();

  it('should keep every recorded run and refuse a second run only for a schedule time', () => {
    const db = file.olderDatabase(9);
    const insert = db.prepare(
      `INSERT INTO job_runs (job, slot, reason, started_at, finished_at, outcome, detail) VALUES (?, ?, ?, ?, ?, 'ok', ?)`,
    );
    insert.run('scan:pan', minutes(0).getTime(), 'scheduled', minutes(0).getTime(), minutes(1).getTime(), '3 fetched');
    insert.run('scan:pan', minutes(5).getTime(), 'manual', minutes(5).getTime(), minutes(6).getTime(), '4 fetched');
    db.close();

    const store = file.open();
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
