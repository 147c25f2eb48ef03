import { afterEach, describe, expect, it } from 'vitest';
import { cronSchedule } from '../../../src/jobs/cron-times.js';
import { createJobRunner, type JobContext, type JobSpec } from '../../../src/jobs/runner.js';
import { silentLogger } from '../../../src/log.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { fixedClock } from '../../support/fixed-clock.js';

const START = '2026-06-01T10:00:00Z';
const MINUTE = 60_000;

const stores: Store[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

function setup() {
  const clock = fixedClock(START);
  const store = openStore(':memory:');
  stores.push(store);
  return { clock, store };
}

/** A job every 15 minutes that records the slots it ran for and does what `body` says. */
function job(name: string, body: (context: JobContext) => Promise<string | undefined> = async () => 'done') {
  const ran: JobContext[] = [];
  const spec: JobSpec = {
    name,
    description: `test job ${name}`,
    schedule: cronSchedule('*/15 * * * *'),
    async run(context) {
      ran.push(context);
      return body(context);
    },
  };
  return { spec, ran };
}

function deferred() {
  let release: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { done, release };
}

const runs = (store: Store, name: string) =>
  store.jobRuns
    .recent(name, 100)
    .reverse()
    .map((r) => ({ slot: r.slot.toISOString(), reason: r.reason, outcome: r.outcome, detail: r.detail }));

describe('the job runner', () => {
  it('should not start a job that is still running, and record the slot it passed over as skipped', async () => {
    const { clock, store } = setup();
    const slow = deferred();
    const { spec, ran } = job('scan:slow', async () => {
      await slow.done;
      return 'finished late';
    });
    const runner = createJobRunner([spec], { store, clock, logger: silentLogger });
    await runner.start();
    clock.advance(15 * MINUTE);
    const first = runner.tick();
    clock.advance(15 * MINUTE);
    await runner.tick();
    const joined = runner.runNow('scan:slow'); // joins the run in progress instead of starting a second one
    expect(ran).toHaveLength(1);
    expect(runs(store, 'scan:slow')).toEqual([
      { slot: '2026-06-01T10:15:00.000Z', reason: 'scheduled', outcome: 'running', detail: null },
      {
        slot: '2026-06-01T10:30:00.000Z',
        reason: 'scheduled',
        outcome: 'skipped',
        detail: 'previous run still in progress',
      },
    ]);
    slow.release();
    await Promise.all([first, joined]);
    expect(ran).toHaveLength(1);
    expect(runs(store, 'scan:slow')[0]).toMatchObject({ outcome: 'ok', detail: 'finished late' });
    // The next slot runs normally again.
    clock.advance(15 * MINUTE);
    await runner.tick();
    expect(ran.map((r) => r.slot.toISOString())).toEqual(['2026-06-01T10:15:00.000Z', '2026-06-01T10:45:00.000Z']);
    await runner.stop();
  });

  it('should collapse the slots missed while stopped into one catch-up run', async () => {
    const { clock, store } = setup();
    const { spec, ran } = job('digest:team');
    let runner = createJobRunner([spec], { store, clock, logger: silentLogger });
    await runner.start();
    clock.advance(15 * MINUTE);
    await runner.tick();
    await runner.stop();
    // Down for three hours: eleven slots missed.
    clock.advance(3 * 60 * MINUTE + 5 * MINUTE);
    runner = createJobRunner([spec], { store, clock, logger: silentLogger });
    await runner.start();
    await runner.tick();
    await runner.stop();
    expect(runs(store, 'digest:team').map((r) => [r.slot, r.reason])).toEqual([
      ['2026-06-01T10:15:00.000Z', 'scheduled'],
      ['2026-06-01T13:15:00.000Z', 'catch_up'],
    ]);
    expect(ran.map((r) => r.reason)).toEqual(['scheduled', 'catch_up']);
  });

  it('should record each run with its start, end and outcome, and run a slot once however often it is triggered', async () => {
    const { clock, store } = setup();
    const { spec } = job('notices', async () => {
      clock.advance(2 * MINUTE); // the run takes two minutes
      return '3 reminders';
    });
    const runner = createJobRunner([spec], { store, clock, logger: silentLogger });
    await runner.start();
    clock.advance(15 * MINUTE);
    await runner.tick();
    await runner.tick();
    await runner.tick('notices');
    const [run, ...more] = store.jobRuns.recent('notices', 10);
    expect(more).toEqual([]);
    expect(run).toMatchObject({
      job: 'notices',
      reason: 'scheduled',
      outcome: 'ok',
      detail: '3 reminders',
      slot: new Date('2026-06-01T10:15:00Z'),
      startedAt: new Date('2026-06-01T10:15:00Z'),
      finishedAt: new Date('2026-06-01T10:17:00Z'),
    });
    await runner.stop();
  });

  it('should record a failing job as failed with one line, and keep running the other jobs', async () => {
    const { clock, store } = setup();
    const broken = job('scan:down', async () => {
      throw new Error('vendor answered 503\n    at scan (scan.ts:1:1)');
    });
    const healthy = job('scan:up');
    const runner = createJobRunner([broken.spec, healthy.spec], { store, clock, logger: silentLogger });
    await runner.start();
    for (let i = 0; i < 2; i += 1) {
      clock.advance(15 * MINUTE);
      await runner.tick();
    }
    expect(runs(store, 'scan:down').map((r) => [r.outcome, r.detail])).toEqual([
      ['failed', 'vendor answered 503'],
      ['failed', 'vendor answered 503'],
    ]);
    expect(runs(store, 'scan:up').map((r) => [r.outcome, r.detail])).toEqual([
      ['ok', 'done'],
      ['ok', 'done'],
    ]);
    expect(runner.status().map((s) => [s.name, s.running])).toEqual([
      ['scan:down', false],
      ['scan:up', false],
    ]);
    await runner.stop();
  });

  it('should record a run the last stop cut off as failed (interrupted) when it starts again', async () => {
    const { clock, store } = setup();
    const cutOff = store.jobRuns.start('digest:team', new Date('2026-06-01T09:45:00Z'), 'scheduled', clock.now());
    expect(cutOff).not.toBeNull();
    const runner = createJobRunner([job('digest:team').spec], { store, clock, logger: silentLogger });
    await runner.start();
    expect(runs(store, 'digest:team')).toEqual([
      {
        slot: '2026-06-01T09:45:00.000Z',
        reason: 'scheduled',
        outcome: 'failed',
        detail: 'interrupted: dlp-bot stopped during this run',
      },
      // The slot that came while it was down is caught up as usual.
      { slot: '2026-06-01T10:00:00.000Z', reason: 'catch_up', outcome: 'ok', detail: 'done' },
    ]);
    await runner.stop();
  });

  it('should run a job on demand before start, with its request, however many such runs begin in one millisecond', async () => {
    const { clock, store } = setup();
    const { spec, ran } = job('scan:pan');
    const runner = createJobRunner([spec], { store, clock, logger: silentLogger });
    await runner.runNow('scan:pan', { full: true });
    await runner.runNow('scan:pan');
    expect(ran.map((r) => [r.reason, r.request.full ?? false])).toEqual([
      ['manual', true],
      ['manual', false],
    ]);
    expect(runs(store, 'scan:pan')).toEqual([
      { slot: START.replace('Z', '.000Z'), reason: 'manual', outcome: 'ok', detail: 'done' },
      { slot: START.replace('Z', '.000Z'), reason: 'manual', outcome: 'ok', detail: 'done' },
    ]);
    // A schedule time still runs once.
    expect(store.jobRuns.start('scan:pan', new Date(START), 'scheduled', clock.now())).not.toBeNull();
    expect(store.jobRuns.start('scan:pan', new Date(START), 'catch_up', clock.now())).toBeNull();
  });

  it('should refuse two jobs with one name', () => {
    const { clock, store } = setup();
    expect(() =>
      createJobRunner([job('scan:a').spec, job('scan:a').spec], { store, clock, logger: silentLogger }),
    ).toThrow(/two scheduled jobs are called "scan:a"/);
  });
});
