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
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { startPaloAltoSimulator } from '../adapters/dlp/paloalto/simulator.js';
import { startFakeSlack } from '../test/support/fake-slack/index.js';
import type { FakeSlack } from '../test/support/fake-slack/types.js';
import { type ServeProcess, startCrashBot, writeCrashConfig } from './crash-bot.js';
import { CHANNEL, claimsAfterKill, judge } from './crash-judge.js';
import { type CrashBenchOptions, type KillPhase, summarise, type TrialReport } from './crash-report.js';
import type { BenchOutcome } from './scan-report.js';

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
  /** The first run only: a kill planned for it must never reach the restarted bot. */
  let target: ServeProcess | undefined;
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
      if (plan?.kind === 'post' && posts === plan.nth) target?.kill();
    },
  });
  try {
    const config = writeCrashConfig({
      dir,
      fakeApiUrl: fake.apiUrl,
      channel: CHANNEL,
      teamId: fake.identity.teamId,
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
    bot = startCrashBot(dir, config, env);
    target = bot;
    if (plan?.kind === 'time') setTimeout(() => target?.kill(), plan.ms).unref();
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
    target = undefined;
    // Requests the killed bot left with Slack are still answered (into the void) after the latency.
    await sleep(options.latencyMs * 3 + 100);
    const storePath = join(dir, 'dlp-bot.sqlite');
    const claimed = claimsAfterKill(storePath);
    const before = new Set(fake.messages(CHANNEL).map((m) => m.ts));

    bot = startCrashBot(dir, config, env);
    if ((await settled(bot, fake)) === 'exited') {
      throw new Error(`dlp-bot serve exited on restart\n${bot.stdout()}\n${bot.logTail()}`);
    }
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
