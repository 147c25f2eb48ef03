import { afterEach, describe, expect, it } from 'vitest';
import { noTelemetry } from '../../../src/ports/telemetry.js';
import { fakeIncident } from '../../support/fake-source.js';
import { fixedClock } from '../../support/fixed-clock.js';
import { createRecordingSurface } from '../../support/recording-surface.js';
import { createHarness, type Harness, hoursAgo, NOW } from '../commands/harness.js';

let harness: Harness | null = null;
afterEach(async () => {
  await harness?.runtime.close();
  harness = null;
});

const IDS = ['A', 'B', 'C', 'D', 'E', 'F'];

/** Cards go to Slack; the admin channel is on Teams. The vendor then lists nothing and answers 404 for each. */
async function degradedTwice(beforeStart: (runtime: Harness['runtime']) => void = () => {}) {
  const clock = fixedClock(NOW);
  const slack = createRecordingSurface('slack', { defaultChannel: 'C-ALERTS', sendRate: 'unlimited' });
  const admin = createRecordingSurface('teams', { defaultChannel: null, sendRate: 'unlimited' });
  harness = createHarness({
    sourceIds: ['pan'],
    surfaces: [slack, admin],
    ops: { adminChannels: { teams: ['T-ADMIN'] } },
    clock,
  });
  const [source] = harness.sources;
  if (!source) throw new Error('no fake source');
  source.put(...IDS.map((id) => fakeIncident('pan', id, { createdAt: hoursAgo(6) })));
  beforeStart(harness.runtime);
  const bot = await harness.runtime.bot();
  await bot.scan({ full: true });
  for (const id of IDS) source.remove(id);
  const summaries = [];
  for (let scan = 0; scan < 2; scan += 1) {
    clock.advance(15 * 60_000);
    summaries.push(await bot.scan({ full: true }));
  }
  return { admin, source, bot, clock, summaries };
}

const adminPosts = (admin: ReturnType<typeof createRecordingSurface>) =>
  admin.succeeded('post').filter((call) => call.channel === 'T-ADMIN');

describe('a degraded source in the admin channel', () => {
  it('should tell the admin channel once while the source stays degraded, with the reason', async () => {
    const { admin, summaries } = await degradedTwice();

    expect(summaries.map((s) => s.totals.degraded)).toEqual([1, 1]);
    const posts = adminPosts(admin);
    expect(posts).toHaveLength(1);
    expect(posts[0]?.view.title).toBe('Source pan is degraded: its scan closed nothing');
    expect(JSON.stringify(posts[0]?.view.blocks)).toContain('the listing lost 6 of 6 open incident(s)');
  });

  it('should not tell it again after a restart while the source stays degraded', async () => {
    const first = await degradedTwice();
    const before = harness;
    if (!before) throw new Error('no harness');
    const { store } = before;
    await first.bot.stop();
    const admin = createRecordingSurface('teams', { defaultChannel: null, sendRate: 'unlimited' });
    const slack = createRecordingSurface('slack', { defaultChannel: 'C-ALERTS', sendRate: 'unlimited' });
    const clock = fixedClock(new Date(NOW.getTime() + 60 * 60_000));
    // The restarted bot's vendor still lists nothing of what the store holds open.
    harness = createHarness({
      sourceIds: ['pan'],
      surfaces: [slack, admin],
      ops: { adminChannels: { teams: ['T-ADMIN'] } },
      clock,
      store,
    });
    const summary = await (await harness.runtime.bot()).scan({ full: true });

    expect(summary.totals.degraded).toBe(1);
    expect(adminPosts(first.admin)).toHaveLength(1);
    expect(adminPosts(admin)).toHaveLength(0);
    await harness.runtime.close();
    harness = before;
  });

  it('should count a degraded scan under its own outcome in the scan metrics', async () => {
    const outcomes: string[] = [];
    const record = { ...noTelemetry, scanned: (_source: string, outcome: string) => void outcomes.push(outcome) };
    await degradedTwice((runtime) => {
      runtime.telemetry.attach(record);
    });

    expect(outcomes).toEqual(['ok', 'degraded', 'degraded']);
  });

  it('should tell it again when the source recovered and then broke anew', async () => {
    const { admin, source, bot, clock } = await degradedTwice();
    source.put(...IDS.map((id) => fakeIncident('pan', id, { createdAt: hoursAgo(6) })));
    clock.advance(15 * 60_000);
    expect((await bot.scan({ full: true })).totals.degraded).toBe(0);
    for (const id of IDS) source.remove(id);
    clock.advance(15 * 60_000);
    await bot.scan({ full: true });

    expect(adminPosts(admin)).toHaveLength(2);
  });
});
