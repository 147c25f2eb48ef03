import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { slack } from '../../adapters/chat/slack/index.js';
import { createConfigSchema, type VendorConfigSpec } from '../../src/config/schema.js';
import { reconcileClaims, resentNoticeText } from '../../src/delivery/claims.js';
import { type DeliveryDeps, deliverOutbox } from '../../src/delivery/deliver.js';
import { createRouter } from '../../src/delivery/routes.js';
import { createSendQueue } from '../../src/delivery/send-queue.js';
import { createSlaPolicy } from '../../src/domain/sla.js';
import { silentLogger } from '../../src/log.js';
import { runScan } from '../../src/scan/run-scan.js';
import { openStore, type Store } from '../../src/store/index.js';
import { DEFAULT_ACTIONS } from '../support/actions.js';
import { type FakeFault, type FakeSlack, type FakeSlackOptions, startFakeSlack } from '../support/fake-slack/index.js';
import { createFakeSource, fakeIncident } from '../support/fake-source.js';
import { fixedClock } from '../support/fixed-clock.js';
import { createVirtualTimer } from '../support/recording-surface.js';

/**
 * A Slack call that goes wrong after Slack did the work, through the real path: the config schema, the adapter's
 * WebClient and surface, the scan, delivery and send queue, against the fake Slack Web API. The timeout is a short
 * configured one; each test asserts what happened (the error, the messages), never how long it took.
 */

const CHANNEL = 'C0DLPFAULTS';
const NOW = new Date('2026-11-23T10:00:00Z');
const HOUR = 3_600_000;
const TIMEOUT_SECONDS = 0.5;
const FAKE_VENDOR: VendorConfigSpec = { vendor: 'fake', fields: () => ({}) };
const BREACHED = fakeIncident('pan', 'A', { createdAt: new Date(NOW.getTime() - 5 * HOUR) });

const stores: Store[] = [];
const fakes: FakeSlack[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) store.close();
  await Promise.allSettled(fakes.splice(0).map((fake) => fake.close()));
});

async function setup(options: Pick<FakeSlackOptions, 'historyScopes'> = {}) {
  const timer = createVirtualTimer();
  const fake = await startFakeSlack({
    clock: { now: () => new Date(NOW.getTime() + timer.now()) },
    rateLimit: false,
    channels: [{ id: CHANNEL, name: 'dlp-faults' }],
    ...options,
  });
  fakes.push(fake);
  const env = { SLACK_BOT_TOKEN: fake.token, SLACK_SIGNING_SECRET: 'faults-signing-secret' };
  const parsed = createConfigSchema([FAKE_VENDOR], env, [slack.config]).safeParse({
    sources: [{ id: 'pan', vendor: 'fake' }],
    chat: {
      slack: { mode: 'http', apiUrl: fake.apiUrl, timeoutSeconds: TIMEOUT_SECONDS, teamIds: [fake.identity.teamId] },
    },
    routes: [{ sources: ['pan'], channels: { slack: [CHANNEL] } }],
  });
  if (!parsed.success) throw new Error(`config rejected:\n${z.prettifyError(parsed.error)}`);
  const config = parsed.data;
  const clock = fixedClock(NOW);
  const store = openStore(':memory:');
  stores.push(store);
  const surface = await slack.create(config.chat.slack, { logger: silentLogger, clock, store: () => store });
  if (!surface) throw new Error('the slack section did not enable Slack');
  const source = createFakeSource({ id: 'pan', incidents: [BREACHED] });
  const policy = createSlaPolicy(config.sla, config.sources);
  await runScan(
    { store, sources: [source], policy, logger: silentLogger, options: { ...config.scan, forceFull: true } },
    clock.now(),
  );
  const deps: DeliveryDeps = {
    actions: DEFAULT_ACTIONS,
    store,
    policy,
    clock,
    logger: silentLogger,
    sourceInfo: () => ({ displayName: source.displayName, capabilities: source.capabilities }),
    routes: createRouter(config.routes, [surface]),
    queue: createSendQueue({ logger: silentLogger, timer }),
  };
  /** The next process (or the outbox's retry): the row is due again, and claims are reconciled first. */
  const retry = async () => {
    clock.advance(HOUR);
    await reconcileClaims({ store, clock, logger: silentLogger }, [surface]);
    return deliverOutbox(deps);
  };
  const cards = () => fake.messages(CHANNEL).filter((m) => m.metadata?.event_payload.id === 'A');
  const posting = () => store.postings.find('pan', 'A', 'slack', CHANNEL);
  const lastError = () =>
    (store.db.prepare('SELECT last_error FROM outbox').pluck().get() as string | null) ?? undefined;
  return { fake, store, surface, deliver: () => deliverOutbox(deps), retry, cards, posting, lastError };
}

const FAULTS: [FakeFault, string][] = [
  ['lost_after_work', 'chat.postMessage: Slack could not be reached'],
  ['500_after_work', 'chat.postMessage: Slack answered HTTP 500'],
  ['hang_after_work', 'chat.postMessage: Slack did not answer in time (chat.slack.timeoutSeconds)'],
];

describe('Slack: a card whose answer never came back', () => {
  it.each(FAULTS)(
    'should not retry a post met by %s, and adopt the card it finds instead of a second',
    async (fault, error) => {
      const { fake, store, deliver, retry, cards, posting, lastError } = await setup();
      fake.faultNext('chat.postMessage', fault);

      expect(await deliver()).toMatchObject({ posted: 0, retrying: 1 });
      expect(lastError()).toBe(error);
      expect(cards()).toHaveLength(1);
      expect(fake.calls('chat.postMessage')).toHaveLength(1);
      expect(store.postClaims.count()).toBe(1);

      expect(await retry()).toMatchObject({ delivered: 1, posted: 0, updated: 1 });

      expect(cards()).toHaveLength(1);
      expect(posting()?.messageId).toBe(cards()[0]?.ts);
      expect(fake.calls('conversations.history')[0]?.args).toMatchObject({
        channel: CHANNEL,
        include_all_metadata: 'true',
      });
      expect(store.postClaims.count()).toBe(0);
    },
  );

  it.each(FAULTS)(
    "should post again after %s without the history scopes, and say so in the new card's thread",
    async (fault) => {
      const { fake, store, deliver, retry, cards, posting } = await setup({ historyScopes: false });
      fake.faultNext('chat.postMessage', fault);
      await deliver();

      expect(await retry()).toMatchObject({ delivered: 1, posted: 1 });

      const [first, again] = cards();
      expect(cards()).toHaveLength(2);
      expect(posting()?.messageId).toBe(again?.ts);
      expect(fake.threadReplies(CHANNEL, again?.ts ?? '').map((m) => m.text)).toEqual([resentNoticeText('pan:A')]);
      expect(fake.threadReplies(CHANNEL, first?.ts ?? '')).toEqual([]);
      expect(store.postClaims.count()).toBe(0);
    },
  );

  it('should time out a call that never answers and post once when reading back finds nothing', async () => {
    const { fake, deliver, retry, cards, lastError } = await setup();
    fake.faultNext('chat.postMessage', 'hang');

    expect(await deliver()).toMatchObject({ retrying: 1 });
    expect(lastError()).toBe('chat.postMessage: Slack did not answer in time (chat.slack.timeoutSeconds)');
    expect(await retry()).toMatchObject({ delivered: 1, posted: 1 });

    expect(cards()).toHaveLength(1);
    expect(fake.threadReplies(CHANNEL, cards()[0]?.ts ?? '')).toEqual([]);
  });

  it('should time out a slow answer and adopt the card Slack made once it did', async () => {
    const { fake, deliver, retry, cards, posting } = await setup();
    fake.setLatency(2 * TIMEOUT_SECONDS * 1000, 'chat.postMessage');
    expect(await deliver()).toMatchObject({ retrying: 1 });
    await vi.waitFor(() => expect(cards()).toHaveLength(1), { timeout: 15_000 });
    fake.setLatency(0, 'chat.postMessage');

    expect(await retry()).toMatchObject({ delivered: 1, posted: 0, updated: 1 });

    expect(cards()).toHaveLength(1);
    expect(posting()?.messageId).toBe(cards()[0]?.ts);
  });

  it('should not count 429s as doubt: the queue waits them out and posts once', async () => {
    const { fake, store, deliver, cards } = await setup();
    fake.failNext('chat.postMessage', { status: 429, headers: { 'retry-after': '2' } }, 2);

    expect(await deliver()).toMatchObject({ delivered: 1, posted: 1, rateLimited: 2 });

    expect(cards()).toHaveLength(1);
    expect(store.postClaims.count()).toBe(0);
  });

  it('should keep the claim and post nothing while reading the channel back fails', async () => {
    const { fake, store, deliver, retry, cards } = await setup();
    fake.faultNext('chat.postMessage', 'lost_after_work');
    await deliver();
    fake.faultNext('conversations.history', 'hang', 2);

    expect(await retry()).toMatchObject({ posted: 0, retrying: 1 });

    expect(cards()).toHaveLength(1);
    expect(store.postClaims.count()).toBe(1);
  });
});
