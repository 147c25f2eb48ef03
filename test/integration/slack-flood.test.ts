import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { slack } from '../../adapters/chat/slack/index.js';
import { type Config, createConfigSchema, type VendorConfigSpec } from '../../src/config/schema.js';
import { type DeliveryDeps, deliverOutbox } from '../../src/delivery/deliver.js';
import { createRouter } from '../../src/delivery/routes.js';
import { createSendQueue } from '../../src/delivery/send-queue.js';
import type { Severity } from '../../src/domain/incident.js';
import { createSlaPolicy } from '../../src/domain/sla.js';
import { silentLogger } from '../../src/log.js';
import { runScan } from '../../src/scan/run-scan.js';
import { openStore, type Store } from '../../src/store/index.js';
import { DEFAULT_ACTIONS } from '../support/actions.js';
import {
  type FakeMessage,
  type FakeSlack,
  type RateLimitOptions,
  type RecordedCall,
  startFakeSlack,
} from '../support/fake-slack/index.js';
import { createFakeSource, fakeIncident } from '../support/fake-source.js';
import { fixedClock } from '../support/fixed-clock.js';
import { createVirtualTimer, type VirtualTimer } from '../support/recording-surface.js';

/**
 * The flood, end to end through the real Slack adapter: 1,000 new breaches for one channel, the real
 * scan writing their outbox rows, the real delivery and send queue, the adapter's own WebClient (429s rejected
 * to us) and the fake Slack Web API metering chat.postMessage per channel.
 *
 * Time: the fake's rate limiter and the send queue's pacing run on one virtual clock (the fake's `clock` is
 * derived from the queue's `timer`), so "about one message per second" is honoured to the millisecond on both
 * sides, the run spends ~1,000 s of virtual time, and takes a few seconds of wall time. Only one channel
 * is in play, so at most one thing waits at a time: either an HTTP call (the clock stands still) or the
 * channel's pacer (the clock jumps to its wake-up). The business clock (SLA, outbox due times) is a separate
 * fixed clock.
 */

const CHANNEL = 'C0DLPFLOOD';
const SOURCE = 'pan';
const INCIDENTS = 1_000;
const ROLLUP_AFTER = 20;
const THREADED = INCIDENTS - ROLLUP_AFTER;
const NOW = new Date('2026-11-23T10:00:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Default SLA windows, written out so the dataset does not reuse the code under test. */
const SLA_HOURS: Record<string, number> = { critical: 2, high: 4, medium: 8 };
const SEVERITY_CYCLE: Severity[] = ['critical', 'high', 'high', 'medium'];
const ASSIGNEE = 'ana@corp.example';
/** chat.postMessage requests (by number) answered with an injected 429, and its Retry-After in seconds. */
const MID_RUN_429S = new Map([
  [500, '2'],
  [800, '1'],
]);
const INJECTED_429S = 3 + MID_RUN_429S.size;

/** The config's source entry needs a vendor; this one contributes no keys of its own. */
const FAKE_VENDOR: VendorConfigSpec = { vendor: 'fake', fields: () => ({}) };

/** One HTTP request WebClient made, as it saw the answer, stamped with the shared virtual clock. */
interface HttpExchange {
  method: string;
  at: number;
  status: number;
  /** The Retry-After header WebClient got with a 429, in ms. */
  retryAfterMs?: number;
}

const stores: Store[] = [];
const fakes: FakeSlack[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const store of stores.splice(0)) store.close();
  await Promise.allSettled(fakes.splice(0).map((fake) => fake.close()));
});

/** `chat.slack` and the routes go through the real config schema, as a dlp-bot.yaml would. */
function parseConfig(fake: FakeSlack): Config {
  const env = { SLACK_BOT_TOKEN: fake.token, SLACK_SIGNING_SECRET: 'flood-signing-secret' };
  const parsed = createConfigSchema([FAKE_VENDOR], env, [slack.config]).safeParse({
    sources: [{ id: SOURCE, vendor: 'fake' }],
    chat: { slack: { mode: 'http', apiUrl: fake.apiUrl, teamIds: [fake.identity.teamId] } },
    routes: [{ sources: [SOURCE], channels: { slack: [CHANNEL] } }],
  });
  if (!parsed.success) throw new Error(`config rejected:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** Breached at NOW (≥ 1×, < 2× its window) and, a minute later, still breached, never escalated. */
function floodIncidents() {
  return Array.from({ length: INCIDENTS }, (_, i) => {
    const severity = SEVERITY_CYCLE[i % SEVERITY_CYCLE.length] ?? 'high';
    const age = 1.5 * (SLA_HOURS[severity] ?? 4) * HOUR - i * 1_000;
    return fakeIncident(SOURCE, `N${String(i).padStart(4, '0')}`, {
      severity,
      createdAt: new Date(NOW.getTime() - age),
    });
  });
}

/**
 * Records every Web API request WebClient sends (it reads `globalThis.fetch` when it is built) with the answer
 * it got, and lets the test inject 429s the pacer cannot predict while the run is going.
 */
function recordHttp(timer: VirtualTimer, beforeRequest: (method: string, nth: number) => void): HttpExchange[] {
  const exchanges: HttpExchange[] = [];
  const counts = new Map<string, number>();
  const realFetch = globalThis.fetch;
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const method = /\/api\/([A-Za-z0-9_.]+)$/.exec(new URL(url).pathname)?.[1] ?? url;
    const nth = (counts.get(method) ?? 0) + 1;
    counts.set(method, nth);
    beforeRequest(method, nth);
    const at = timer.now();
    const response = await realFetch(input, init);
    const exchange: HttpExchange = { method, at, status: response.status };
    const retryAfter = response.headers.get('retry-after');
    if (response.status === 429 && retryAfter !== null) exchange.retryAfterMs = Number(retryAfter) * 1_000;
    exchanges.push(exchange);
    return response;
  });
  return exchanges;
}

async function setup(rateLimit: RateLimitOptions) {
  const timer = createVirtualTimer();
  const fake = await startFakeSlack({
    // Virtual 0 is NOW, so the fake's ts values look like real ones and `at - NOW` is the queue's time.
    clock: { now: () => new Date(NOW.getTime() + timer.now()) },
    rateLimit,
    channels: [{ id: CHANNEL, name: 'dlp-breaches' }],
    strictChannels: true,
  });
  fakes.push(fake);
  // Single 429s in the middle of the roll-up thread, on top of the three the test queues before the run. After
  // each, Slack's bucket holds only what refilled during the wait: resuming with a fresh burst would overrun it.
  const http = recordHttp(timer, (method, nth) => {
    const retryAfter = method === 'chat.postMessage' ? MID_RUN_429S.get(nth) : undefined;
    if (retryAfter) fake.failNext('chat.postMessage', { status: 429, headers: { 'retry-after': retryAfter } });
  });

  const config = parseConfig(fake);
  const clock = fixedClock(NOW);
  const store = openStore(':memory:');
  stores.push(store);
  const surface = await slack.create(config.chat.slack, { logger: silentLogger, clock, store: () => store });
  if (!surface) throw new Error('the slack section did not enable Slack');
  const source = createFakeSource({ id: SOURCE, pageSize: 250, incidents: floodIncidents() });
  const policy = createSlaPolicy(config.sla, config.sources);
  const scan = (forceFull: boolean) =>
    runScan(
      {
        store,
        sources: [source],
        policy,
        logger: silentLogger,
        options: {
          fullResyncEvery: config.scan.fullResyncEvery,
          overlapMinutes: config.scan.overlapMinutes,
          forceFull,
        },
      },
      clock.now(),
    );
  const queue = createSendQueue({ logger: silentLogger, timer });
  const deps: DeliveryDeps = {
    actions: DEFAULT_ACTIONS,
    store,
    policy,
    clock,
    logger: silentLogger,
    sourceInfo: (id) =>
      id === source.id ? { displayName: source.displayName, capabilities: source.capabilities } : null,
    routes: createRouter(config.routes, [surface]),
    rollupAfter: config.notify.rollupAfter,
    queue,
  };
  return { timer, fake, http, config, clock, store, source, scan, deliver: () => deliverOutbox(deps) };
}

const subjectOf = (m: FakeMessage) => m.metadata?.event_payload.id;
const channelOf = (call: RecordedCall) => call.args.channel;

/** Every 429 answered to a chat call: the channel's next call came no sooner than its Retry-After said. */
function expectEvery429Honoured(calls: RecordedCall[], http: HttpExchange[]): number {
  // The fake saw exactly the requests WebClient sent, with the answers WebClient got, at the same virtual instant.
  expect(calls.map((c) => [c.method, c.status, c.at.getTime() - NOW.getTime()])).toEqual(
    http.map((h) => [h.method, h.status, h.at]),
  );
  let limited = 0;
  calls.forEach((call, i) => {
    if (call.status !== 429) return;
    limited += 1;
    const retryAfterMs = http[i]?.retryAfterMs;
    expect(retryAfterMs, `Retry-After of call ${i}`).toBeGreaterThanOrEqual(1_000);
    const next = calls.slice(i + 1).find((c) => channelOf(c) === channelOf(call));
    if (!next) return;
    expect(next.at.getTime() - call.at.getTime(), `wait after the 429 of call ${i}`).toBeGreaterThanOrEqual(
      retryAfterMs ?? Number.POSITIVE_INFINITY,
    );
  });
  return limited;
}

describe('Slack flood: 1,000 new breaches for one channel against ~1 post/s with short bursts', () => {
  it.each([
    // Slack's nominal limit, the same as our pace: only the injected 429s surprise the pacer.
    ['the same limit as our pace', { postsPerSecond: 1, burst: 3 }, 1_100_000],
    // Slack tighter than we assume (its limit is "about" one a second): the limiter answers 429s of its own.
    ['a limit tighter than our pace', { postsPerSecond: 0.8, burst: 2 }, 1_500_000],
  ])(
    'should deliver all with %s: none lost, every 429 honoured, 20 cards and a roll-up thread; updates edit in place',
    { timeout: 30_000 },
    async (_name, rateLimit, maxVirtualMs) => {
      const { timer, fake, http, config, clock, store, source, scan, deliver } = await setup(rateLimit);
      expect(config.notify.rollupAfter).toBe(ROLLUP_AFTER);
      expect(config.chat.slack).toMatchObject({ postsPerSecond: 1, apiUrl: fake.apiUrl });

      // The scan records each incident and its one 'breached' intent.
      const scanned = await scan(true);
      expect(scanned.totals).toMatchObject({ failed: 0, fetched: INCIDENTS, intents: INCIDENTS });
      const intents = store.db.prepare('SELECT incident_id, kind FROM outbox ORDER BY id').all() as {
        incident_id: string;
        kind: string;
      }[];
      expect(intents).toHaveLength(INCIDENTS);
      expect(new Set(intents.map((r) => r.kind))).toEqual(new Set(['breached']));
      const order = intents.map((r) => r.incident_id);

      // Three 429s the pacer cannot see coming, on the very first post.
      fake.failNext('chat.postMessage', { status: 429, headers: { 'retry-after': '1' } }, 3);
      const summary = await deliver();

      const calls = fake.calls();
      const limited = expectEvery429Honoured(calls, http);
      // The injected ones, plus the limiter's own: none at all when it matches our pace.
      expect(limited).toBe(INJECTED_429S + fake.rateLimited(CHANNEL));
      if (rateLimit.postsPerSecond < 1) expect(fake.rateLimited(CHANNEL)).toBeGreaterThan(0);
      else expect(fake.rateLimited(CHANNEL)).toBe(0);
      expect(summary).toEqual({
        delivered: INCIDENTS,
        posted: INCIDENTS,
        threaded: THREADED,
        rollups: 1,
        updated: 0,
        directUpdated: 0,
        retrying: 0,
        dead: 0,
        // Every 429 reached our queue: WebClient neither hid one nor retried on its own.
        rateLimited: limited,
      });
      // Block Kit within limits: the fake validates every message and rejected none; no other error either.
      expect(calls.filter((c) => c.status !== 429 && c.response.ok !== true)).toEqual([]);
      expect(calls.filter((c) => c.status === 200)).toHaveLength(INCIDENTS + 1);
      expect(new Set(calls.map((c) => c.method))).toEqual(new Set(['chat.postMessage']));

      // The channel stays readable: the first 20 cards, then one roll-up with the other 980 in its thread.
      const parents = fake.messages(CHANNEL, { topLevelOnly: true });
      expect(parents).toHaveLength(ROLLUP_AFTER + 1);
      expect(parents.slice(0, ROLLUP_AFTER).map(subjectOf)).toEqual(order.slice(0, ROLLUP_AFTER));
      const rollup = parents[ROLLUP_AFTER];
      if (!rollup) throw new Error('no roll-up message');
      expect(subjectOf(rollup)).toBeUndefined();
      expect(rollup.text).toContain(`${THREADED} more DLP incidents breached or due soon`);
      const bySeverity = new Map<string, number>();
      for (const id of order.slice(ROLLUP_AFTER)) {
        const severity = SEVERITY_CYCLE[Number(id.slice(1)) % SEVERITY_CYCLE.length] ?? '?';
        bySeverity.set(severity, (bySeverity.get(severity) ?? 0) + 1);
      }
      const counts = ['critical', 'high', 'medium'].map((s) => `${bySeverity.get(s) ?? 0} ${s}`).join(' · ');
      expect(JSON.stringify(rollup.blocks)).toContain(counts);
      const replies = fake.threadReplies(CHANNEL, rollup.ts);
      expect(replies.map(subjectOf)).toEqual(order.slice(ROLLUP_AFTER));
      expect(fake.messages(CHANNEL)).toHaveLength(INCIDENTS + 1);
      expect(fake.messages(CHANNEL).every((m) => m.hasFallbackText)).toBe(true);

      // None lost: every card is recorded as the message it is, the threaded ones with the roll-up as thread.
      const tsOf = new Map(fake.messages(CHANNEL).map((m) => [subjectOf(m), m.ts]));
      const postings = store.db
        .prepare('SELECT incident_id AS id, surface, channel, message_id, thread_id FROM postings')
        .all() as { id: string; surface: string; channel: string; message_id: string; thread_id: string | null }[];
      expect(postings).toHaveLength(INCIDENTS);
      const threadOf = new Set(order.slice(ROLLUP_AFTER));
      for (const posting of postings) {
        expect(posting).toEqual({
          id: posting.id,
          surface: 'slack',
          channel: CHANNEL,
          message_id: tsOf.get(posting.id),
          thread_id: threadOf.has(posting.id) ? rollup.ts : null,
        });
      }
      expect(store.outbox.counts()).toEqual({ pending: 0, delivered: INCIDENTS, dead: 0 });

      // Paced near the platform's rate: 1,001 messages at ~1/s is ~1,000 s of virtual time. (Wall time is not
      // asserted: a shared CI machine makes it noise; the virtual clock proves the pacing.)
      expect(timer.now()).toBeGreaterThanOrEqual(((INCIDENTS + 1 - 3) / rateLimit.postsPerSecond) * 1_000);
      expect(timer.now()).toBeLessThan(maxVirtualMs);

      // A second run has nothing to say.
      expect(await deliver()).toMatchObject({ delivered: 0, posted: 0, rollups: 0, updated: 0, rateLimited: 0 });
      expect(fake.calls()).toHaveLength(calls.length);

      // An assignee set in the vendor console: the next scan queues an update for that one threaded card …
      const target = order[ROLLUP_AFTER + 480] ?? '';
      const targetTs = tsOf.get(target) ?? '';
      source.change(target, { assignee: ASSIGNEE });
      clock.advance(MINUTE);
      await scan(true);
      expect(store.outbox.due(clock.now(), 10).map((r) => [r.incidentId, r.kind])).toEqual([[target, 'updated']]);

      // … which edits the reply in place and adds its thread line in the roll-up thread; nothing else moves.
      expect(await deliver()).toMatchObject({ delivered: 1, posted: 0, updated: 1, rollups: 0, dead: 0 });
      const after = fake.calls().slice(calls.length);
      expect(after.filter((c) => c.status === 200).map((c) => [c.method, c.args.ts ?? c.args.thread_ts])).toEqual([
        ['chat.update', targetTs],
        ['chat.postMessage', rollup.ts],
      ]);
      expect(after.every((c) => c.status === 429 || c.response.ok === true)).toBe(true);
      expect(expectEvery429Honoured(fake.calls(), http)).toBe(limited + (after.length - 2));
      const edited = fake.messages(CHANNEL).find((m) => m.ts === targetTs);
      expect(edited).toMatchObject({ thread_ts: rollup.ts, updateCount: 1 });
      expect(JSON.stringify(edited?.blocks)).toContain(ASSIGNEE);
      const thread = fake.threadReplies(CHANNEL, rollup.ts);
      expect(thread).toHaveLength(THREADED + 1);
      expect(thread.at(-1)?.text).toContain(`assignee ${ASSIGNEE}`);
      expect(fake.messages(CHANNEL, { topLevelOnly: true })).toHaveLength(ROLLUP_AFTER + 1);
      expect(store.postings.find(SOURCE, target, 'slack', CHANNEL)).toMatchObject({
        messageId: targetTs,
        threadId: rollup.ts,
      });
      expect(store.outbox.counts()).toEqual({ pending: 0, delivered: INCIDENTS + 1, dead: 0 });
    },
  );
});
