import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, pruneStore, type Store } from '../../../src/store/index.js';
import { incident, meta, minutes, T0 } from './fixtures.js';

const DAY_MINUTES = 24 * 60;
const days = (n: number) => minutes(n * DAY_MINUTES);
const AGES = { closedIncidentsDays: 30, deliveredOutboxDays: 7, jobRunsDays: 7 };
const audit = (at: Date) => ({ at, actor: 'cli:root', surface: 'cli' as const, correlationId: 'cmd-1' });

/** The rules that keep a row: each case differs from a prunable one in one respect. */
describe('pruneStore', () => {
  let store: Store;
  beforeEach(() => {
    store = openStore(':memory:');
  });
  afterEach(() => store.close());

  const closed = (id: string, seenAt: Date) =>
    store.incidents.upsert(
      incident({ id, status: 'resolved', updatedAt: T0 }),
      meta({ slaState: null, slaDeadline: null, seenAt }),
    );
  const ids = () => store.db.prepare('SELECT id FROM incidents ORDER BY id').pluck().all();

  it('should keep an incident that is open, recently closed, still seen by scans, or has an announcement left', () => {
    closed('old', minutes(10));
    closed('still-listed', days(35));
    closed('pending', minutes(10));
    closed('dead', minutes(10));
    store.incidents.upsert(incident({ id: 'open' }), meta());
    store.outbox.enqueue({ source: 'pan-prod', incidentId: 'pending', kind: 'closed', dedupeKey: 'p', createdAt: T0 });
    store.outbox.enqueue({ source: 'pan-prod', incidentId: 'dead', kind: 'closed', dedupeKey: 'd', createdAt: T0 });
    store.db.prepare("UPDATE outbox SET state = 'dead' WHERE dedupe_key = 'd'").run();

    expect(pruneStore(store, AGES, audit(days(20))).incidents).toBe(0);
    expect(pruneStore(store, AGES, audit(days(40))).incidents).toBe(1);
    expect(ids()).toEqual(['dead', 'open', 'pending', 'still-listed']);
  });

  it('should keep the newest run of each job, its newest schedule time, and runs in progress', () => {
    const run = (job: string, at: Date, reason: 'scheduled' | 'manual', outcome: 'ok' | null = 'ok') => {
      const id = store.jobRuns.start(job, at, reason, at);
      if (id !== null && outcome) store.jobRuns.finish(id, outcome, at, null);
      return id;
    };
    run('scan:a', days(1), 'scheduled');
    const newestScheduled = run('scan:a', days(2), 'scheduled');
    const newest = run('scan:a', days(3), 'manual');
    const running = run('digest:x', days(1), 'scheduled', null);
    run('notices', days(1), 'scheduled');
    const newestNotices = run('notices', days(2), 'scheduled');

    expect(pruneStore(store, AGES, audit(days(30))).jobRuns).toBe(2);
    const kept = store.db.prepare('SELECT id FROM job_runs ORDER BY id').pluck().all();
    expect(kept).toEqual([newestScheduled, newest, running, newestNotices]);
  });

  it('should prune nothing of a kind whose age is unset, and still write its audit row', () => {
    closed('old', minutes(10));
    expect(pruneStore(store, {}, audit(days(400)))).toEqual({ incidents: 0, postings: 0, outbox: 0, jobRuns: 0 });
    expect(ids()).toEqual(['old']);
    expect(store.audit.verify()).toMatchObject({ ok: true, rows: 1 });
  });
});
