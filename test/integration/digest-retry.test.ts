import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildJobs } from '../../src/app/jobs.js';
import { createConfigSchema } from '../../src/config/schema.js';
import { createSendQueue } from '../../src/delivery/send-queue.js';
import { createSlaPolicy } from '../../src/domain/sla.js';
import { createJobRunner, type JobRunner } from '../../src/jobs/runner.js';
import { silentLogger } from '../../src/log.js';
import { openStore, type Store } from '../../src/store/index.js';
import { DEFAULT_ACTIONS } from '../support/actions.js';
import { createFakeSource } from '../support/fake-source.js';
import { fixedClock } from '../support/fixed-clock.js';
import { createRecordingSurface, unavailable } from '../support/recording-surface.js';

const stores: Store[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) if (store.db.open) store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

// Monday 1 June 2026; the route's digest is at 09:00 Berlin (07:00Z), notices every 5 minutes.
async function world(start = '2026-06-01T06:50:00Z', before?: (store: Store) => void, storePath = ':memory:') {
  const config = createConfigSchema([{ vendor: 'fake', fields: () => ({}) }], {}, [
    { key: 'chat', fields: () => ({}) },
  ]).parse({
    notices: { schedule: '*/5 * * * *' },
    routes: [{ name: 'emea', channels: { chat: ['C-EMEA'] }, calendar: { timeZone: 'Europe/Berlin' } }],
    sources: [{ id: 'src', vendor: 'fake' }],
  });
  const clock = fixedClock(start);
  const store = openStore(storePath);
  stores.push(store);
  before?.(store);
  const surface = createRecordingSurface('chat', { now: () => clock.now().getTime() });
  const jobs = buildJobs({
    actions: DEFAULT_ACTIONS,
    config,
    store,
    policy: createSlaPolicy(config.sla, config.sources),
    sources: [createFakeSource({ id: 'src' })],
    surfaces: [surface],
    queue: createSendQueue({ logger: silentLogger, rates: { chat: 'unlimited' } }),
    logger: silentLogger,
    clock,
    deliver: async () => null,
  });
  const runner = createJobRunner(jobs, { store, clock, logger: silentLogger });
  await runner.start();
  const runUntil = async (iso: string) => {
    const until = new Date(iso);
    for (let next = runner.nextDue(); next && next <= until; next = runner.nextDue()) {
      clock.set(next);
      await runner.tick();
    }
  };
  const digests = () =>
    surface.calls
      .filter((c) => c.method === 'post' && c.view.title.startsWith('DLP digest'))
      .map((c) => `${new Date(c.at ?? 0).toISOString().slice(5, 16)} ${c.ok ? 'ok' : 'failed'}`);
  return { store, surface, runner: runner as JobRunner, runUntil, digests };
}

describe('a digest the chat platform refused', () => {
  it('should be posted again later the same day, once', async () => {
    const w = await world();
    w.surface.failNext(1, unavailable(), ['post']);
    await w.runUntil('2026-06-01T08:00:00Z');
    expect(w.digests()).toEqual(['06-01T07:00 failed', '06-01T07:05 ok']);
    expect(w.store.jobRuns.last('digest:emea')).toMatchObject({ outcome: 'failed' });
    expect(w.store.notices.digestDates('chat', 'C-EMEA')).toEqual(['2026-06-01']);
    // The next day is an ordinary day.
    await w.runUntil('2026-06-02T08:00:00Z');
    expect(w.digests().slice(2)).toEqual(['06-02T07:00 ok']);
    await w.runner.stop();
  });

  it('should post a digest whose run a stop cut off, after the restart, once', async () => {
    // The bot stopped in the middle of the 07:00Z digest run, before it posted anything.
    const w = await world('2026-06-01T07:02:00Z', (store) => {
      store.jobRuns.start(
        'digest:emea',
        new Date('2026-06-01T07:00:00Z'),
        'scheduled',
        new Date('2026-06-01T07:00:00Z'),
      );
    });
    await w.runUntil('2026-06-01T08:00:00Z');
    expect(w.digests()).toEqual(['06-01T07:05 ok']);
    expect(w.store.notices.digestDates('chat', 'C-EMEA')).toEqual(['2026-06-01']);
    await w.runner.stop();
  });

  it('should give up for the day after a bounded number of tries, and post the next day as usual', async () => {
    const w = await world();
    w.surface.failAlways(unavailable(), ['post']);
    await w.runUntil('2026-06-01T12:00:00Z');
    // The scheduled run and six retries, five minutes apart; then nothing more that day.
    expect(w.digests()).toEqual([
      '06-01T07:00 failed',
      '06-01T07:05 failed',
      '06-01T07:10 failed',
      '06-01T07:15 failed',
      '06-01T07:20 failed',
      '06-01T07:25 failed',
      '06-01T07:30 failed',
    ]);
    w.surface.heal();
    await w.runUntil('2026-06-02T08:00:00Z');
    expect(w.digests().slice(7)).toEqual(['06-02T07:00 ok']);
    expect(w.store.notices.digestDates('chat', 'C-EMEA')).toEqual(['2026-06-02']);
    await w.runner.stop();
  });

  it('should keep the daily cap across a restart: the tries made before it count', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dlp-digest-retry-'));
    dirs.push(dir);
    const path = join(dir, 'dlp-bot.db');
    const before = await world(undefined, undefined, path);
    before.surface.failAlways(unavailable(), ['post']);
    await before.runUntil('2026-06-01T07:12:00Z');
    expect(before.digests()).toEqual(['06-01T07:00 failed', '06-01T07:05 failed', '06-01T07:10 failed']);
    await before.runner.stop();
    before.store.close();

    // A new process over the same database file, the chat platform still down.
    const after = await world('2026-06-01T07:13:00Z', undefined, path);
    after.surface.failAlways(unavailable(), ['post']);
    await after.runUntil('2026-06-01T12:00:00Z');
    // Two retries were made before the restart, so four are left that day, not six.
    expect(after.digests()).toEqual([
      '06-01T07:15 failed',
      '06-01T07:20 failed',
      '06-01T07:25 failed',
      '06-01T07:30 failed',
    ]);
    expect(after.store.digestRetries.get('digest:emea', '2026-06-01')).toEqual({ tries: 6, done: false });
    await after.runner.stop();
  });
});
