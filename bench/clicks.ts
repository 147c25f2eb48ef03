/**
 * `npm run bench -- clicks`: N concurrent, signed "View snippets" clicks on breach posts while the vendor takes
 * `latencyMs` per call. Measures each click's time to its HTTP ack, then waits for every private answer, and
 * counts the vendor calls (the simulator's request log) and the audit rows (the bot's store).
 *
 * - The bot is the real `dlp-bot serve` (bin/dlp-bot.js) in its own process, Slack in HTTP mode (bench/clicks-bot.ts).
 * - Slack is the fake Slack Web API (test/support/fake-slack, compiled into dist/ because this file imports it),
 *   in this process, rate limits off.
 * - The vendor is the Palo Alto simulator, in this process; its latency is switched on after the first scan.
 * - The clicks are Slack's block_actions payloads, signed with the signing secret, sent with fetch from a worker
 *   thread (bench/clicks-sender.ts), so the fake Slack and the simulator cannot delay reading an ack.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type PaloAltoSimulator, startPaloAltoSimulator } from '../adapters/dlp/paloalto/simulator.js';
import { startFakeSlack } from '../test/support/fake-slack/index.js';
import { blockActionPayload } from '../test/support/fake-slack/requests.js';
import type { FakeSlack } from '../test/support/fake-slack/types.js';
import { type BotProcess, startBot } from './clicks-bot.js';
import {
  buttonValue,
  type Click,
  sendFromWorker,
  settledPosts,
  snippetAuditRows,
  watchAnswers,
} from './clicks-observe.js';
import {
  CLICKS_TARGETS,
  type ClicksBenchOptions,
  type ClicksRunReport,
  clicksMedians,
  percentiles,
} from './clicks-report.js';
import { epochNow } from './clicks-sender.js';
import { type BenchOutcome, round1 } from './scan-report.js';

const SIGNING_SECRET = 'bench-signing-secret';
const CHANNEL = 'C0DLPBENCH';
/** The config default for a source's `http.connections` (src/config/schema.ts). */
const DEFAULT_CONNECTIONS = 4;
/** A breach post is made for roughly a third of the dataset; this leaves a wide margin. */
const INCIDENTS_PER_CLICK = 8;
const MIN_INCIDENTS = 300;

export async function clicksBenchmark(options: ClicksBenchOptions): Promise<BenchOutcome> {
  const each: ClicksRunReport[] = [];
  for (let run = 1; run <= options.runs; run += 1) {
    const report = await runOnce(options);
    each.push(report);
    process.stderr.write(
      `clicks run ${run}/${options.runs}: ack p50 ${report.ackMs.p50} / p99 ${report.ackMs.p99} ms, ` +
        `${report.completed}/${report.clicks} answered (${report.answerMs.max === null ? 'not all in time' : `last after ${report.answerMs.max} ms`}), ` +
        `${report.vendorCalls} vendor calls, ${report.auditRows} audit rows\n`,
    );
  }
  const failed = each.some((r) => !r.targetsMet);
  if (each.length === 1) return { report: each[0] as ClicksRunReport, exitCode: failed ? 1 : 0 };
  return { exitCode: failed ? 1 : 0, report: clicksMedians(each) };
}

async function runOnce(options: ClicksBenchOptions): Promise<ClicksRunReport> {
  const dir = mkdtempSync(join(tmpdir(), 'dlp-bench-clicks-'));
  // One analyst per click: each click is a different person on a different incident, none a double click.
  const analysts = Array.from({ length: options.clicks }, (_, i) => `U0BENCH${String(i + 1).padStart(4, '0')}`);
  const incidents = Math.max(MIN_INCIDENTS, options.clicks * INCIDENTS_PER_CLICK);
  let fake: FakeSlack | undefined;
  let simulator: PaloAltoSimulator | undefined;
  let bot: BotProcess | undefined;
  try {
    fake = await startFakeSlack({
      users: analysts.map((id) => ({
        id,
        name: id.toLowerCase(),
        real_name: `Analyst ${id.slice(-4)}`,
        profile: { email: `${id.toLowerCase()}@corp.example` },
      })),
      channels: [{ id: CHANNEL, name: 'dlp-alerts' }],
      rateLimit: false,
    });
    // Token TTL far longer than a run: one token request, none in the middle of the clicks.
    simulator = await startPaloAltoSimulator({ seed: 7, incidents, tokenTtlSec: 3_600 });
    bot = await startBot(
      {
        dir,
        fakeApiUrl: fake.apiUrl,
        channel: CHANNEL,
        teamId: fake.identity.teamId,
        analysts,
        source: { baseUrl: simulator.baseUrl, tokenUrl: simulator.tokenUrl, tsgId: simulator.credentials.tsgId },
        connections: options.connections,
      },
      {
        SLACK_BOT_TOKEN: fake.token,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        PAN_ID: simulator.credentials.clientId,
        PAN_SECRET: simulator.credentials.clientSecret,
      },
    );
    const posts = await settledPosts(fake, CHANNEL);
    const targets = posts.filter((m) => buttonValue(m, 'incident.snippets') !== undefined);
    if (targets.length < options.clicks) {
      throw new Error(`the first scan posted ${targets.length} cards with "View snippets"; ${options.clicks} needed`);
    }
    const clicks: Click[] = targets.slice(0, options.clicks).map((message, i) => {
      const user = analysts[i] as string;
      const payload = blockActionPayload({
        user: { id: user, name: user.toLowerCase() },
        channel: { id: CHANNEL, name: 'dlp-alerts' },
        messageTs: message.ts,
        actionId: 'incident.snippets',
        value: buttonValue(message, 'incident.snippets'),
        buttonText: 'View snippets',
        message,
      });
      return {
        user,
        incidentId: String((message.metadata?.event_payload as { id?: unknown } | undefined)?.id ?? ''),
        body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
        sentAt: Number.NaN,
        ackMs: Number.NaN,
        status: 0,
        answeredAt: null,
        answer: null,
      };
    });

    const vendorRequests = () => {
      const { total, byRoute } = simulator?.requests() ?? { total: 0, byRoute: {} };
      const snippets = Object.entries(byRoute).reduce((n, [r, count]) => n + (r.includes('/snippets') ? count : 0), 0);
      return { snippets, total };
    };
    const before = vendorRequests();
    simulator.setLatency(options.latencyMs);

    const answers = watchAnswers(fake, clicks, deadlineMs(options));
    const sent = await sendFromWorker({
      eventsUrl: bot.eventsUrl,
      signingSecret: SIGNING_SECRET,
      bodies: clicks.map((c) => c.body),
      concurrency: options.concurrency,
      warmUpUrl: `${fake.url}/`,
    });
    sent.forEach((result, i) => {
      const click = clicks[i] as Click;
      click.sentAt = result.sentAtEpochMs;
      click.ackMs = round1(result.ackMs);
      click.status = result.status;
    });
    const started = Math.min(...clicks.map((c) => c.sentAt));
    if (process.env.CLICKS_TIMELINE) {
      // Each click as <sent, ms after the first>+<ms to its ack>, in send order.
      process.stderr.write(`${clicks.map((c) => `${(c.sentAt - started).toFixed(1)}+${c.ackMs}`).join(' ')}\n`);
    }
    await answers;
    const lastAnswer = Math.max(...clicks.map((c) => c.answeredAt ?? Number.NaN));
    const wallMs = Math.round((Number.isFinite(lastAnswer) ? lastAnswer : epochNow()) - started);
    // A retried or duplicated vendor call would come in before the answer; a short grace catches stragglers.
    await sleep(250);
    const after = vendorRequests();
    const vendorCalls = after.snippets - before.snippets;
    const otherVendorCalls = after.total - before.total - vendorCalls;
    simulator.setLatency(0);
    const audit = snippetAuditRows(bot.storePath);
    const clicked = new Set(clicks.map((c) => c.incidentId));

    const acked = clicks.filter((c) => c.status === 200).length;
    const completed = clicks.filter((c) => c.answer === 'snippets').length;
    const ackMs = percentiles(clicks.map((c) => c.ackMs));
    const checks = {
      allAcked: acked === options.clicks,
      ackP99UnderTarget: ackMs.p99 !== null && ackMs.p99 < CLICKS_TARGETS.ackP99Ms,
      allCompleted: completed === options.clicks,
      oneVendorCallEach: vendorCalls === options.clicks && otherVendorCalls === 0,
      oneAuditRowEach:
        audit.length === options.clicks &&
        audit.every((row) => row.outcome === 'ok' && clicked.has(row.incident_id ?? '')) &&
        new Set(audit.map((row) => row.incident_id)).size === options.clicks,
    };
    const { ackP99UnderTarget: _timing, ...correctness } = checks;
    if (!Object.values(correctness).every(Boolean)) {
      process.stderr.write(
        `clicks: a click went wrong; the end of the bot's log:\n${bot.stderrTail().slice(-4_000)}\n`,
      );
    }
    return {
      benchmark: 'clicks',
      clicks: options.clicks,
      concurrency: options.concurrency,
      vendorLatencyMs: options.latencyMs,
      ackMs,
      acked,
      answerMs: percentiles(
        clicks.map((c) => (c.answeredAt === null ? Number.POSITIVE_INFINITY : c.answeredAt - c.sentAt)),
      ),
      completed,
      otherAnswers: clicks.filter((c) => c.answer === 'other').length,
      vendorCalls,
      otherVendorCalls,
      auditRows: audit.length,
      wallMs,
      vendorConnections: options.connections ?? DEFAULT_CONNECTIONS,
      incidents,
      checks,
      targetsMet: Object.values(checks).every(Boolean),
      node: process.version,
      cpus: availableParallelism(),
    };
  } finally {
    await bot?.stop();
    await Promise.allSettled([fake?.close(), simulator?.close()]);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Worst case: every vendor call one after the other, plus a minute. */
const deadlineMs = (options: ClicksBenchOptions) => options.clicks * options.latencyMs + 60_000;
