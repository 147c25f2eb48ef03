import { afterEach, describe, expect, it } from 'vitest';
import { buildJobs } from '../../../src/app/jobs.js';
import { createScanSlots } from '../../../src/app/scan-slots.js';
import { createConfigSchema } from '../../../src/config/schema.js';
import { createSendQueue } from '../../../src/delivery/send-queue.js';
import { createSlaPolicy } from '../../../src/domain/sla.js';
import { cronSchedule } from '../../../src/jobs/cron-times.js';
import { createJobRunner } from '../../../src/jobs/runner.js';
import { silentLogger } from '../../../src/log.js';
import { type ScanSummary, totalsOf } from '../../../src/scan/run-scan.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { DEFAULT_ACTIONS } from '../../support/actions.js';
import { createFakeSource, fakeIncident } from '../../support/fake-source.js';
import { fixedClock } from '../../support/fixed-clock.js';
import { createRecordingSurface } from '../../support/recording-surface.js';

const stores: Store[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

/** Serve's jobs over fake sources: `east` and `west` on the default quarter-hour, `apac` on the half hour. */
function bot() {
  const config = createConfigSchema([{ vendor: 'fake', fields: () => ({}) }], {}, [
    { key: 'chat', fields: () => ({}) },
  ]).parse({
    sla: { hours: { high: 4 } },
    sources: [
      { id: 'east', vendor: 'fake' },
      { id: 'west', vendor: 'fake' },
      { id: 'apac', vendor: 'fake', schedule: '30 * * * *' },
    ],
  });
  const clock = fixedClock('2026-06-01T10:01:00Z');
  const store = openStore(':memory:');
  stores.push(store);
  const sources = ['east', 'west', 'apac'].map((id) => createFakeSource({ id }));
  sources[0]?.put(fakeIncident('east', 'E-1', { severity: 'high', createdAt: new Date('2026-06-01T05:00:00Z') }));
  const summaries: ScanSummary[] = [];
  const jobs = buildJobs({
    actions: DEFAULT_ACTIONS,
    config,
    store,
    policy: createSlaPolicy(config.sla, config.sources),
    sources,
    surfaces: [createRecordingSurface('chat')],
    queue: createSendQueue({ logger: silentLogger, rates: { chat: 'unlimited' } }),
    logger: silentLogger,
    clock,
    deliver: async () => null,
    onScan: (summary) => summaries.push(summary),
  });
  return { runner: createJobRunner(jobs, { store, clock, logger: silentLogger }), clock, summaries };
}

const sourcesOf = (summary: ScanSummary | undefined) => summary?.sources.map((s) => s.source);

describe('one scan summary per slot', () => {
  it('should summarise the scans of every source that ran at start once, in the order of the config', async () => {
    const { runner, summaries } = bot();
    await runner.start();
    await runner.stop();
    expect(summaries).toHaveLength(1);
    expect(sourcesOf(summaries[0])).toEqual(['east', 'west', 'apac']);
    expect(summaries[0]?.totals).toMatchObject({ sources: 3, breached: 1, failed: 0 });
  });

  it('should summarise each schedule time once, with the sources scheduled then', async () => {
    const { runner, clock, summaries } = bot();
    await runner.start();
    clock.set('2026-06-01T10:15:00Z');
    await runner.tick();
    clock.set('2026-06-01T10:30:00Z');
    await runner.tick();
    await runner.stop();
    expect(summaries.map(sourcesOf)).toEqual([
      ['east', 'west', 'apac'],
      ['east', 'west'],
      ['east', 'west', 'apac'],
    ]);
  });
});

describe('createScanSlots', () => {
  const counts = {
    fetched: 0,
    skipped: 0,
    intents: 0,
    incidents: 0,
    dueSoon: 0,
    breached: 0,
    escalated: 0,
    writtenBack: 0,
    missing: 0,
  };
  const summary = (source: string, at: string): ScanSummary => {
    const sources = [
      { source, ok: true, mode: 'full' as const, error: null, degraded: null, durationMs: 1, ...counts },
    ];
    return { scanId: `scan-${source}`, at: new Date(at), sources, totals: totalsOf(sources) };
  };
  const quarterHour = cronSchedule('*/15 * * * *');
  const jobs = [
    { name: 'scan:a', schedule: quarterHour },
    { name: 'scan:b', schedule: quarterHour },
  ];

  it('should not hold a slot for a source whose run was skipped because its last run is still going', () => {
    const handed: string[][] = [];
    const slots = createScanSlots(jobs, (s) => handed.push(s.sources.map((x) => x.source)));
    const start = new Date('2026-06-01T10:01:00Z');
    const quarter = new Date('2026-06-01T10:15:00Z');
    slots.begin('scan:a', start, true);
    slots.begin('scan:b', start, true);
    slots.end('scan:a', start, summary('a', '2026-06-01T10:01:00Z'));
    // b is still scanning at 10:15, so the runner skips b's 10:15 run: that slot is a alone.
    slots.begin('scan:a', quarter, false);
    slots.end('scan:a', quarter, summary('a', '2026-06-01T10:15:00Z'));
    expect(handed).toEqual([['a']]);
    slots.end('scan:b', start, summary('b', '2026-06-01T10:01:00Z'));
    expect(handed).toEqual([['a'], ['a', 'b']]);
  });

  it('should hand on a slot whose expected run never began once a later slot begins', () => {
    const handed: string[][] = [];
    const slots = createScanSlots(jobs, (s) => handed.push(s.sources.map((x) => x.source)));
    const quarter = new Date('2026-06-01T10:15:00Z');
    const half = new Date('2026-06-01T10:30:00Z');
    slots.begin('scan:a', quarter, false);
    slots.end('scan:a', quarter, summary('a', '2026-06-01T10:15:00Z'));
    expect(handed).toEqual([]);
    slots.begin('scan:a', half, false);
    expect(handed).toEqual([['a']]);
  });
});
