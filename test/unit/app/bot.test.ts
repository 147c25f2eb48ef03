import { afterEach, describe, expect, it } from 'vitest';
import { fakeIncident } from '../../support/fake-source.js';
import { createRecordingSurface } from '../../support/recording-surface.js';
import { createHarness, type Harness, hoursAgo } from '../commands/harness.js';
import { idOf } from '../delivery/fixtures.js';

let harness: Harness | null = null;
afterEach(async () => {
  await harness?.runtime.close();
  harness = null;
});

describe('the bot the composition root builds', () => {
  it("should deliver by the config's routes and roll up after its notify.rollupAfter", async () => {
    const slack = createRecordingSurface('slack', { defaultChannel: 'C-DEFAULT' });
    harness = createHarness({
      sourceIds: ['pan'],
      surfaces: [slack],
      routes: [{ severities: ['critical'], channels: { slack: ['C-CRIT'] } }],
      notify: { rollupAfter: 1 },
    });
    await harness.scan(
      fakeIncident('pan', 'A', { createdAt: hoursAgo(30), severity: 'critical' }),
      fakeIncident('pan', 'B', { createdAt: hoursAgo(29), severity: 'critical' }),
      fakeIncident('pan', 'C', { createdAt: hoursAgo(28), severity: 'high' }),
    );
    const bot = await harness.runtime.bot();

    expect(await bot.deliver()).toMatchObject({ delivered: 3, posted: 3, threaded: 1, rollups: 1 });
    const posts = slack.succeeded('post').map((c) => [c.channel, idOf(c.view.title) ?? 'roll-up', !!c.threadOf]);
    expect(posts).toEqual([
      ['C-CRIT', 'A', false],
      ['C-DEFAULT', 'C', false],
      ['C-CRIT', 'roll-up', false],
      ['C-CRIT', 'B', true],
    ]);
  });

  it('should be built once per runtime and deliver nothing when every surface is skipped', async () => {
    harness = createHarness({ surfaces: [createRecordingSurface('slack', { defaultChannel: 'C-DEFAULT' })] });
    const bot = await harness.runtime.bot();
    expect(await harness.runtime.bot()).toBe(bot);
    expect(await bot.deliver({ skipSurfaces: ['slack'] })).toBeNull();
  });

  it('should scan every enabled source through the job runner, recorded as a manual run, joining a scan in progress', async () => {
    harness = createHarness({ sourceIds: ['pan', 'sym', 'off'], disabled: ['off'] });
    const [pan, sym] = harness.sources;
    pan?.put(fakeIncident('pan', 'P1', { createdAt: hoursAgo(9) }));
    sym?.put(
      fakeIncident('sym', 'S1', { createdAt: hoursAgo(1) }),
      fakeIncident('sym', 'S2', { createdAt: hoursAgo(2) }),
    );
    const bot = await harness.runtime.bot();

    const [first, second] = await Promise.all([bot.scan({ full: true }), bot.scan()]);

    expect(first.sources.map((s) => [s.source, s.mode, s.fetched])).toEqual([
      ['pan', 'full', 1],
      ['sym', 'full', 2],
    ]);
    expect(second).toEqual(first);
    // The second request joined the runs in progress: each source was listed once.
    expect(pan?.windows()).toEqual([{ mode: 'full' }]);
    expect(sym?.windows()).toEqual([{ mode: 'full' }]);
    for (const job of ['scan:pan', 'scan:sym']) {
      expect(harness.store.jobRuns.last(job)).toMatchObject({ reason: 'manual', outcome: 'ok' });
    }
    expect(harness.store.jobRuns.last('scan:off')).toBeNull();
  });
});
