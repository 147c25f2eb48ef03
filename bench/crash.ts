/**
 * `npm run bench -- crash`: kill -9 the real `dlp-bot serve` at random points during its first scan and posting,
 * start it again on the same store, and count what the channel ends up with: cards lost, cards doubled (and whether
 * each second copy says so), claims left in doubt by the kill and how many the restart adopted.
 *
 * - The bot is bin/dlp-bot.js in its own process (bench/crash-bot.ts), Slack in HTTP mode, info logs as JSON.
 * - Slack is the fake Slack Web API (test/support/fake-slack) in this process: a fixed latency on every call, a
 *   per-channel chat.postMessage limit the bot's pace overruns now and then (429s), and with or without the
 *   optional history scopes.
 * - The vendor is the Palo Alto simulator in this process, the same dataset for every trial.
 * - Half the kills land as the nth chat.postMessage reaches Slack (a send in flight: Slack creates the card after the
 *   bot is gone), half at a random instant of a first run (start, scan, posting or after).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { startPaloAltoSimulator } from '../adapters/dlp/paloalto/simulator.js';
import { resentNoticeText } from '../src/delivery/claims.js';
import { startFakeSlack } from '../test/support/fake-slack/index.js';
import type { FakeMessage, FakeSlack } from '../test/support/fake-slack/types.js';
import { BOT_SOURCE_ID, type ServeProcess, spawnServe, writeCrashConfig } from './crash-bot.js';
import { type CrashBenchOptions, type KillPhase, summarise, type TrialReport } from './crash-report.js';
import type { BenchOutcome } from './scan-report.js';

const CHANNEL = 'C0DLPCRASH';
/** The bot's pace and the fake's limit: 10 a second against 8 with bursts of 3, so 429s come now and then. */
const BOT_POSTS_PER_SECOND = 10;
const SLACK_LIMIT = { postsPerSecond: 8, burst: 3 };
/** Low enough that the first run's cards go partly into a roll-up thread (cards there are claimed too). */
const ROLLUP_AFTER = 12;
const QUIET_MS = 1_500;
const SETTLE_TIMEOUT_MS = 180_000;

type Simulator = Awaited<ReturnType<typeof startPaloAltoSimulator>>;
type KillPlan = TrialReport['kill'];

export async function crashBenchmark(options: CrashBenchOptions): Promise<BenchOutcome> {
  const started = performance.now();
  const simulator = await startPaloAltoSimulator({
    seed: options.seed,
    incidents: options.incidents,
    tokenTtlSec: 3_600,
  });
  try {
    // An uncounted first trial with no kill: how long a first run takes, and how many posts it makes.
    const calibration = await runTrial(options, simulator, 0, null);
    const trials: TrialReport[] = [];
    for (let trial = 1; trial <= options.trials; trial += 1) {
      const plan: KillPlan =
        trial % 2 === 1
          ? { kind: 'post', nth: 1 + Math.floor(Math.random() * Math.max(1, calibration.posts)) }
          : { kind: 'time', ms: Math.floor(Math.random() * calibration.firstRunMs) };
      const report = (await runTrial(options, simulator, trial, plan)).report;
      trials.push(report);
      process.stderr.write(
        `crash trial ${trial}/${options.trials}: kill ${plan.kind === 'post' ? `at post ${plan.nth}` : `after ${plan.ms} ms`} ` +
          `(${report.phase}), in doubt ${report.inDoubt}, reconciled ${report.reconciled}, lost ${report.lost}, ` +
          `duplicated ${report.duplicated} (announced ${report.announced})${report.settled ? '' : ', NOT SETTLED'}\n`,
      );
    }
    return summarise(options, trials, Math.round(performance.now() - started));
  } finally {
    await simulator.close();
  }
}

interface TrialRun {
  report: TrialReport;
  /** chat.postMessage requests of the first run (calibration: the whole run). */
  posts: number;
  firstRunMs: number;
}

async function runTrial(
  options: CrashBenchOptions,
  simulator: Simulator,
  trial: number,
  plan: KillPlan | null,
): Promise<TrialRun> {
  const dir = mkdtempSync(join(tmpdir(), 'dlp-bench-crash-'));
  let bot: ServeProcess | undefined;
  let posts = 0;
  const fake: FakeSlack = await startFakeSlack({
    channels: [{ id: CHANNEL, name: 'dlp-crash' }],
    rateLimit: SLACK_LIMIT,
    latencyMs: options.latencyMs,
    historyScopes: options.history,
    onRequest: (method) => {
      if (method !== 'chat.postMessage') return;
      posts += 1;
      // Killed while this request is with Slack: the card is created after the bot is gone.
      if (plan?.kind === 'post' && posts === plan.nth) bot?.kill();
    },
  });
  try {
    const config = writeCrashConfig({
      dir,
      fakeApiUrl: fake.apiUrl,
      channel: CHANNEL,
      source: { baseUrl: simulator.baseUrl, tokenUrl: simulator.tokenUrl, tsgId: simulator.credentials.tsgId },
      rollupAfter: ROLLUP_AFTER,
      postsPerSecond: BOT_POSTS_PER_SECOND,
    });
    const env = {
      SLACK_BOT_TOKEN: fake.token,
      SLACK_SIGNING_SECRET: 'bench-crash',
      PAN_ID: simulator.credentials.clientId,
      PAN_SECRET: simulator.credentials.clientSecret,
    };
    const spawnedAt = performance.now();
    bot = spawnServe(dir, config, env);
    if (plan?.kind === 'time') setTimeout(() => bot?.kill(), plan.ms).unref();
    // A kill planned past the end of the run (a late instant, a post never made) still comes, once it settled.
    if ((await settled(bot, fake)) === 'settled' && plan !== null) bot.kill();
    const firstRunMs = Math.round(performance.now() - spawnedAt);
    const postsAtKill = posts;
    const phase: KillPhase =
      postsAtKill === 0
        ? 'before_first_post'
        : /Watching \d+ source/.test(bot.stdout())
          ? 'after_first_run'
          : 'while_posting';
    if (plan === null) await bot.stop();
    else await bot.exited;
    // Requests the killed bot left with Slack are still answered (into the void) after the latency.
    await sleep(options.latencyMs * 3 + 100);
    const storePath = join(dir, 'dlp-bot.sqlite');
    const claimed = claimsAfterKill(storePath);
    const before = new Set(fake.messages(CHANNEL).map((m) => m.ts));

    bot = spawnServe(dir, config, env);
    if ((await settled(bot, fake)) === 'exited') throw new Error(`dlp-bot serve exited on restart\n${bot.logTail()}`);
    await bot.stop();

    const report = judge(fake, storePath, {
      trial,
      kill: plan ?? { kind: 'time', ms: firstRunMs },
      phase,
      claimed,
      before,
    });
    if (!report.settled || report.lost > 0)
      process.stderr.write(`crash trial ${trial}: the bot's log:\n${bot.logTail()}\n`);
    return { report, posts: postsAtKill, firstRunMs };
  } finally {
    bot?.kill();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Once serve has finished its first runs and nothing has reached Slack for a moment; or once it is gone. */
async function settled(bot: ServeProcess, fake: FakeSlack): Promise<'settled' | 'exited'> {
  const until = performance.now() + SETTLE_TIMEOUT_MS;
  let calls = -1;
  let quietSince = performance.now();
  while (performance.now() < until) {
    if (!bot.alive()) return 'exited';
    const now = fake.calls().length;
    if (now !== calls) {
      calls = now;
      quietSince = performance.now();
    }
    if (/Watching \d+ source/.test(bot.stdout()) && performance.now() - quietSince > QUIET_MS) return 'settled';
    await sleep(100);
  }
  throw new Error(`dlp-bot serve did not settle within ${SETTLE_TIMEOUT_MS} ms\n${bot.logTail()}`);
}

/** Opened read-write on purpose: that recovers the WAL a kill -9 left behind, as the next start would. */
function readStore<T>(path: string, read: (db: Database.Database) => T): T {
  const db = new Database(path, { fileMustExist: true, timeout: 5_000 });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** A kill before the store was created, or before its migrations ran, leaves nothing in doubt. */
function claimsAfterKill(path: string): string[] {
  if (!existsSync(path)) return [];
  return readStore(path, (db) => {
    const table = db.prepare(`SELECT count(*) FROM sqlite_schema WHERE name = 'post_claims'`).pluck().get();
    return table ? (db.prepare('SELECT incident_id FROM post_claims').pluck().all() as string[]) : [];
  });
}

interface Observed {
  trial: number;
  kill: KillPlan;
  phase: KillPhase;
  /** Incident ids with a claim right after the kill. */
  claimed: string[];
  /** Message ts values in the channel before the restart. */
  before: Set<string>;
}

function judge(fake: FakeSlack, storePath: string, seen: Observed): TrialReport {
  const store = readStore(storePath, (db) => ({
    expected: db
      .prepare(`SELECT DISTINCT incident_id FROM outbox WHERE kind IN ('due_soon', 'breached', 'escalated')`)
      .pluck()
      .all() as string[],
    postings: new Map(
      (
        db.prepare('SELECT incident_id, message_id FROM postings WHERE channel = ?').all(CHANNEL) as {
          incident_id: string;
          message_id: string;
        }[]
      ).map((p) => [p.incident_id, p.message_id]),
    ),
    unsettled: db.prepare(`SELECT count(*) FROM outbox WHERE state != 'delivered'`).pluck().get() as number,
    claims: db.prepare('SELECT count(*) FROM post_claims').pluck().get() as number,
  }));
  const messages = fake.messages(CHANNEL);
  const cards = new Map<string, FakeMessage[]>();
  for (const m of messages) {
    const id = m.metadata?.event_type === 'dlp_incident' ? m.metadata.event_payload.id : undefined;
    if (typeof id === 'string') cards.set(id, [...(cards.get(id) ?? []), m]);
  }
  const lost = store.expected.filter((id) => {
    const recorded = store.postings.get(id);
    return !recorded || !(cards.get(id) ?? []).some((m) => m.ts === recorded);
  }).length;
  const doubled = [...cards].filter(([, copies]) => copies.length > 1);
  // The note goes into the later copy's own thread, or the roll-up thread that copy sits in.
  const announced = doubled.filter(([id, copies]) =>
    copies.slice(1).every((copy) => {
      const thread = copy.thread_ts ?? copy.ts;
      const text = resentNoticeText(`${BOT_SOURCE_ID}:${id}`);
      return messages.some((m) => m.thread_ts === thread && m.text === text && m.ts > copy.ts);
    }),
  ).length;
  const reconciled = seen.claimed.filter((id) => seen.before.has(store.postings.get(id) ?? '')).length;
  return {
    trial: seen.trial,
    kill: seen.kill,
    phase: seen.phase,
    expected: store.expected.length,
    lost,
    duplicated: doubled.length,
    announced,
    inDoubt: seen.claimed.length,
    reconciled,
    rateLimited: fake.rateLimited(),
    settled: store.unsettled === 0 && store.claims === 0,
  };
}
