import { afterEach, describe, expect, it } from 'vitest';
import { retryDeadLetters } from '../../../src/store/index.js';
import { fakeIncident } from '../../support/fake-source.js';
import { fixedClock } from '../../support/fixed-clock.js';
import { createRecordingSurface, unavailable } from '../../support/recording-surface.js';
import { createHarness, type Harness, hoursAgo, NOW } from '../commands/harness.js';

let harness: Harness | null = null;
afterEach(async () => {
  await harness?.runtime.close();
  harness = null;
});

/**
 * Cards go to Slack, which refuses every post here; the admin channel is on a second surface that works. Each
 * delivery run is one attempt; the clock moves past the longest backoff (30 minutes) between runs.
 */
function setup() {
  const clock = fixedClock(NOW);
  const slack = createRecordingSurface('slack', { defaultChannel: 'C-ALERTS', sendRate: 'unlimited' });
  const admin = createRecordingSurface('teams', { defaultChannel: null, sendRate: 'unlimited' });
  slack.failAlways(unavailable('chat.postMessage: Slack could not be reached'));
  harness = createHarness({
    sourceIds: ['pan'],
    surfaces: [slack, admin],
    ops: { adminChannels: { teams: ['T-ADMIN'] } },
    clock,
  });
  const h = harness;
  const deliverUntilGivenUp = async () => {
    const bot = await h.runtime.bot();
    for (let attempt = 0; attempt < 8; attempt += 1) {
      await bot.deliver();
      clock.advance(31 * 60_000);
    }
    return bot;
  };
  return { clock, slack, admin, harness: h, deliverUntilGivenUp };
}

const adminPosts = (admin: ReturnType<typeof createRecordingSurface>) =>
  admin.succeeded('post').filter((call) => call.channel === 'T-ADMIN');

describe('notifications given up (dead letters)', () => {
  it('should tell the admin channel once, naming each card, its attempts and its last error', async () => {
    const { admin, harness, deliverUntilGivenUp } = setup();
    await harness.scan(fakeIncident('pan', 'A', { createdAt: hoursAgo(6) }));
    const bot = await deliverUntilGivenUp();

    expect(harness.store.deadLetters.count()).toBe(1);
    const [post] = adminPosts(admin);
    expect(post?.view.title).toBe(
      'dlp-bot gave up delivering 1 notification(s): the cards they carry were not posted or updated',
    );
    const text = JSON.stringify(post?.view.blocks);
    expect(text).toMatch(
      /#\d+ pan:A \(breached\): 8 attempt\(s\), last error: chat.postMessage: Slack could not be reached/,
    );
    expect(text).toContain('dlp-bot outbox retry --all');

    await bot.deliver();
    await bot.deliver();
    expect(adminPosts(admin)).toHaveLength(1);
  });

  it('should announce a dead letter again only after it was retried and given up again', async () => {
    const { admin, harness, deliverUntilGivenUp, clock } = setup();
    await harness.scan(fakeIncident('pan', 'A', { createdAt: hoursAgo(6) }));
    await deliverUntilGivenUp();
    const [dead] = harness.store.deadLetters.undelivered({ limit: 10, pending: false });
    expect(adminPosts(admin)).toHaveLength(1);

    retryDeadLetters(harness.store, [dead?.id ?? 0], { at: clock.now(), actor: 'cli:ops', surface: 'cli' });
    expect(harness.store.deadLetters.unannounced()).toEqual([]);
    await deliverUntilGivenUp();

    expect(harness.store.deadLetters.count()).toBe(1);
    expect(adminPosts(admin)).toHaveLength(2);
  });

  it('should keep a dead letter unannounced, to try again, while no admin channel takes the message', async () => {
    const { admin, harness, deliverUntilGivenUp } = setup();
    admin.failAlways(unavailable(), ['post']);
    await harness.scan(fakeIncident('pan', 'A', { createdAt: hoursAgo(6) }));
    const bot = await deliverUntilGivenUp();
    expect(harness.store.deadLetters.unannounced()).toHaveLength(1);

    admin.heal();
    await bot.deliver();
    expect(adminPosts(admin)).toHaveLength(1);
    expect(harness.store.deadLetters.unannounced()).toEqual([]);
  });
});
