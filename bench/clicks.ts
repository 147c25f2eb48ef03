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
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { type PaloAltoSimulator, startPaloAltoSimulator } from '../adapters/dlp/paloalto/simulator.js';
import { startFakeSlack } from '../test/support/fake-slack/index.js';
import { blockActionPayload } from '../test/support/fake-slack/requests.js';
import type { FakeMessage, FakeSlack, Json } from '../test/support/fake-slack/types.js';
import { BOT_SOURCE_ID, type BotProcess, startBot } from './clicks-bot.js';
import { CLICKS_TARGETS, type ClicksBenchOptions, type ClicksRunReport, type Percentiles } from './clicks-report.js';
import { epochNow, type SenderInput, type SentClick } from './clicks-sender.js';
import { medianOf } from './repeat.js';
import { type BenchOutcome, round1 } from './scan-report.js';

const SIGNING_SECRET = 'bench-signing-secret';
const CHANNEL = 'C0DLPBENCH';
/** The config default for a source's `http.connections` (src/config/schema.ts). */
const DEFAULT_CONNECTIONS = 4;
const ANSWER_POLL_MS = 10;
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
  const first = each[0] as ClicksRunReport;
  const median = (pick: (r: ClicksRunReport) => number) => medianOf(each.map(pick));
  // A run with a click never answered has no such percentile; then neither has the series.
  const medianOrNull = (pick: (r: ClicksRunReport) => number | null) => {
    const values = each.map(pick);
    return values.every((v) => v !== null) ? medianOf(values as number[]) : null;
  };
  const percentiles = (pick: (r: ClicksRunReport) => Percentiles): Percentiles => ({
    p50: medianOrNull((r) => pick(r).p50),
    p95: medianOrNull((r) => pick(r).p95),
    p99: medianOrNull((r) => pick(r).p99),
    max: medianOrNull((r) => pick(r).max),
  });
  const spread = (pick: (r: ClicksRunReport) => number | null) => {
    const values = each.map(pick).filter((v): v is number => v !== null);
    return values.length ? { min: Math.min(...values), max: Math.max(...values) } : null;
  };
  return {
    exitCode: failed ? 1 : 0,
    report: {
      benchmark: 'clicks',
      statistic: `median of ${each.length} runs, each a fresh deployment (bot process, fake Slack, simulator, store)`,
      clicks: first.clicks,
      concurrency: first.concurrency,
      vendorLatencyMs: first.vendorLatencyMs,
      ackMs: percentiles((r) => r.ackMs),
      answerMs: percentiles((r) => r.answerMs),
      completed: median((r) => r.completed),
      vendorCalls: median((r) => r.vendorCalls),
      auditRows: median((r) => r.auditRows),
      wallMs: median((r) => r.wallMs),
      vendorConnections: first.vendorConnections,
      spread: { ackP50Ms: spread((r) => r.ackMs.p50), ackP99Ms: spread((r) => r.ackMs.p99) },
      targetsMet: !failed,
      runsMeetingTargets: each.filter((r) => r.targetsMet).length,
      node: first.node,
      cpus: first.cpus,
      runs: each,
    },
  };
}

interface Click {
  user: string;
  incidentId: string;
  body: string;
  /** Epoch ms (sub-ms precision), from the sender thread. */
  sentAt: number;
  ackMs: number;
  status: number;
  /** Epoch ms when this process first saw the clicker's private answer. */
  answeredAt: number | null;
  answer: 'snippets' | 'other' | null;
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
    const posts = await settledPosts(fake);
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

/** Runs bench/clicks-sender.ts in a worker thread and returns what it measured, in click order. */
function sendFromWorker(input: SenderInput): Promise<SentClick[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./clicks-sender.js', import.meta.url), { workerData: input });
    worker.once('message', (message: { ok: true; results: SentClick[] } | { ok: false; message: string }) => {
      if (message.ok) resolve(message.results);
      else reject(new Error(`click sender: ${message.message}`));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`click sender exited (${code}) without results`)));
  });
}

/** Polls the fake Slack for each clicker's private answer until all have one or the deadline passes. */
async function watchAnswers(fake: FakeSlack, clicks: Click[], timeoutMs: number): Promise<void> {
  const until = performance.now() + timeoutMs;
  for (;;) {
    const now = epochNow();
    for (const click of clicks) {
      if (click.answer !== null) continue;
      const answers = fake.ephemerals(click.user);
      if (answers.length === 0) continue;
      const ref = `${BOT_SOURCE_ID}:${click.incidentId}`;
      click.answer = answers.some((e) => e.text?.includes(`Snippets for ${ref}`)) ? 'snippets' : 'other';
      click.answeredAt = now;
    }
    if (clicks.every((c) => c.answer !== null) || performance.now() > until) return;
    await sleep(ANSWER_POLL_MS);
  }
}

/** Worst case: every vendor call one after the other, plus a minute. */
const deadlineMs = (options: ClicksBenchOptions) => options.clicks * options.latencyMs + 60_000;

/** The first scan's top-level posts, once their number has stopped changing. */
async function settledPosts(fake: FakeSlack): Promise<FakeMessage[]> {
  let last = -1;
  for (let tries = 0; tries < 600; tries += 1) {
    const posts = fake.messages(CHANNEL, { topLevelOnly: true });
    if (posts.length > 0 && posts.length === last) return posts;
    last = posts.length;
    await sleep(200);
  }
  throw new Error('the first scan posted nothing');
}

function buttonValue(message: FakeMessage, actionId: string): string | undefined {
  for (const block of message.blocks ?? []) {
    for (const element of ((block as { elements?: Json[] }).elements ?? []) as Json[]) {
      if (element.action_id === actionId && typeof element.value === 'string') return element.value;
    }
  }
  return undefined;
}

function snippetAuditRows(storePath: string): { outcome: string; incident_id: string | null }[] {
  // Read-only, next to the running bot (WAL mode allows it); the rows it committed are visible here.
  const db = new Database(storePath, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare("SELECT outcome, incident_id FROM audit_events WHERE action = 'incident.snippets' ORDER BY seq")
      .all() as { outcome: string; incident_id: string | null }[];
  } finally {
    db.close();
  }
}

/** Nearest-rank percentiles (p99 of 50 values is the largest); Infinity, a click never answered, gives null. */
export function percentiles(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => {
    const value = sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
    return Number.isFinite(value) ? round1(value) : null;
  };
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1) };
}
