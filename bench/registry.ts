import { CLI_DEFAULTS, CLI_TARGETS, cliBenchmark } from './cli.js';
import { clicksBenchmark } from './clicks.js';
import { CLICKS_DEFAULTS, CLICKS_TARGETS } from './clicks-report.js';
import { crashBenchmark } from './crash.js';
import { CRASH_DEFAULTS } from './crash-report.js';
import { MASK_DEFAULTS, MASK_TARGETS, maskBenchmark } from './mask.js';
import { SNIPPET_TARGETS } from './mask-snippet.js';
import { scanBenchmark } from './scan.js';
import { FLOOR_DEFAULTS, scanFloorBenchmark } from './scan-floor.js';
import { type BenchOutcome, SCAN_DEFAULTS, SCAN_TARGETS } from './scan-report.js';
import { SLA_JOB_DEFAULTS, SLA_JOB_TARGET_RATIO, slaJobBenchmark } from './sla-job.js';
import { loadBenchVendors } from './vendors/index.js';
import { ZWA_PACING_DEFAULTS, zwaPacingBenchmark } from './zwa-pacing.js';

export interface Benchmark {
  summary: string;
  usage: string[];
  run(flags: Record<string, string | boolean | undefined>, script: string): Promise<BenchOutcome>;
}

/** A flag's value is out of range: exit 2 with the message, not a stack. */
export class UsageError extends Error {}

function integerFlag(
  flags: Record<string, string | boolean | undefined>,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = flags[name];
  if (raw === undefined) return fallback;
  const value = typeof raw === 'string' && /^\d[\d_]*$/.test(raw) ? Number(raw.replaceAll('_', '')) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

const BENCH_VENDORS = await loadBenchVendors();

/** Every benchmark `npm run bench -- <name>` runs, with its help text. */
export const BENCHMARKS: Record<string, Benchmark> = {
  scan: {
    summary:
      'Full scan of N incidents from each vendor simulator (child process, loopback) into a fresh store, one vendor after the other',
    usage: [
      `--vendor V      one of ${BENCH_VENDORS.map((v) => v.vendor).join(', ')} (default: all of them, each in a fresh process)`,
      "--incidents N   incidents in each vendor's dataset (default: per vendor, below)",
      "--page-size P   records per list request, up to the vendor's cap (default: per vendor, below)",
      `--runs R        fresh-process runs per vendor; R > 1 reports each run and the medians (default ${SCAN_DEFAULTS.runs})`,
      `--seed S        dataset seed (default ${SCAN_DEFAULTS.seed})`,
      '--rescan        then scan the unchanged simulator again at the same instant, incremental and full, and report',
      "                each one's CPU, rows SQLite changed and share of the first scan's CPU (the steady state)",
      '',
      'Per-vendor defaults (sized to take seconds each on a 2-core machine):',
      ...BENCH_VENDORS.map(
        (v) =>
          `  ${v.vendor.padEnd(18)} ${v.defaults.incidents} incidents, page ${v.defaults.pageSize} (cap ${v.maxPageSize}): ${v.note}`,
      ),
      '',
      'Prints {benchmark, vendors, allChecksPassed, results: {<vendor>: {incidents, wallMs, peakRssMb, requests, minRequests, checks, …}}}.',
      `Targets (2-core machine, ${SCAN_TARGETS.incidents} incidents): wallMs < ${SCAN_TARGETS.wallMs}, cpuMs < ${SCAN_TARGETS.cpuMs}, peakRssMb < ${SCAN_TARGETS.peakRssMb};`,
      'for every vendor, API requests = minRequests (what its documented API forces) plus its token requests.',
      'Exit 1 if a source failed or any check of any vendor is false.',
    ],
    run: (flags, script) => {
      const name = flags.vendor;
      const chosen = BENCH_VENDORS.filter((v) => name === undefined || v.vendor === name);
      if (chosen.length === 0) {
        throw new UsageError(
          `--vendor must be one of ${BENCH_VENDORS.map((v) => v.vendor).join(', ')}, got ${JSON.stringify(name)}`,
        );
      }
      const cap = Math.min(...chosen.map((v) => v.maxPageSize));
      return scanBenchmark(
        {
          vendors: chosen.map((v) => v.vendor),
          incidents: flags.incidents === undefined ? undefined : integerFlag(flags, 'incidents', 0, 1, 2_000_000),
          pageSize: flags['page-size'] === undefined ? undefined : integerFlag(flags, 'page-size', 0, 1, cap),
          runs: integerFlag(flags, 'runs', SCAN_DEFAULTS.runs, 1, 99),
          seed: integerFlag(flags, 'seed', SCAN_DEFAULTS.seed, 0, 2 ** 31 - 1),
          rescan: flags.rescan === true,
        },
        script,
      );
    },
  },
  'scan-floor': {
    summary:
      'The floor under `scan --vendor paloalto`: the same simulator and HTTP client, JSON parsed, one prepared INSERT per record into the real incidents table, nothing else',
    usage: [
      `--incidents N   incidents in the dataset (default ${FLOOR_DEFAULTS.incidents})`,
      `--page-size P   records per list request, up to 500 (default ${FLOOR_DEFAULTS.pageSize})`,
      `--seed S        dataset seed (default ${FLOOR_DEFAULTS.seed})`,
      '',
      'Two passes in this process, each on a fresh simulator child and store: fetch (fetch and parse only), then',
      'store (the same plus the inserts, in transactions of 10,000 rows). Prints {fetch: {rows, wallMs, cpuMs, …},',
      'store: {…}, storeOnlyCpuMs, peakRssMb, checks}. Exit 1 if a pass did not read every record. Run it 3 times.',
    ],
    run: (flags) =>
      scanFloorBenchmark({
        incidents: integerFlag(flags, 'incidents', FLOOR_DEFAULTS.incidents, 1, 2_000_000),
        pageSize: integerFlag(flags, 'page-size', FLOOR_DEFAULTS.pageSize, 1, 500),
        seed: integerFlag(flags, 'seed', FLOOR_DEFAULTS.seed, 0, 2 ** 31 - 1),
      }),
  },
  'sla-job': {
    summary:
      "The Broadcom article's Symantec SLA job on N incidents: a minimal client sending only the article's requests, then the bot's scan with write-back, on fresh simulators with the same seed",
    usage: [
      `--incidents N   incidents in the Symantec simulator (default ${SLA_JOB_DEFAULTS.incidents})`,
      `--runs R        runs, each a fresh pair of simulators and a fresh store; medians and spread (default ${SLA_JOB_DEFAULTS.runs})`,
      `--seed S        dataset seed (default ${SLA_JOB_DEFAULTS.seed})`,
      "--page-size P   the bot source's pageSize, up to 10000 (default: the config default)",
      "--assignment A  the bot source's assignment type: dataOwner or none (default: the config default)",
      '',
      "Prints {incidents, minimalMs, botMs (until Enforce answered the scan's last write-back PATCH), botRecordedMs (until",
      'the bot had also written its audit rows and stored statuses), ratio (botMs ÷ minimalMs), sameSet, botScanMs (the',
      'whole first scan), botScanOnlyMs (the same scan, write-back off), targetMet, spread: {…, CPU of each side}, runs}.',
      `Target: ratio (bot ÷ minimal, median) <= ${SLA_JOB_TARGET_RATIO}. Exit 1 unless both moved exactly the rule's ground truth.`,
    ],
    run: (flags) => {
      const assignment = flags.assignment;
      if (assignment !== undefined && assignment !== 'dataOwner' && assignment !== 'none') {
        throw new UsageError(`--assignment must be dataOwner or none, got ${JSON.stringify(assignment)}`);
      }
      return slaJobBenchmark({
        incidents: integerFlag(flags, 'incidents', SLA_JOB_DEFAULTS.incidents, 1, 1_000_000),
        runs: integerFlag(flags, 'runs', SLA_JOB_DEFAULTS.runs, 1, 99),
        seed: integerFlag(flags, 'seed', SLA_JOB_DEFAULTS.seed, 0, 2 ** 31 - 1),
        ...(flags['page-size'] === undefined ? {} : { pageSize: integerFlag(flags, 'page-size', 0, 1, 10_000) }),
        ...(assignment === undefined ? {} : { assignment }),
      });
    },
  },
  clicks: {
    summary:
      'N concurrent signed "View snippets" clicks against a real `dlp-bot serve` (Slack HTTP mode, fake Slack) while the vendor is slow',
    usage: [
      `--clicks N       clicks, each on a different incident by a different analyst (default ${CLICKS_DEFAULTS.clicks})`,
      '--concurrency C  at most C clicks in flight at once (default: all N)',
      `--latency MS     vendor delay per API call during the clicks, not the first scan (default ${CLICKS_DEFAULTS.latencyMs})`,
      "--connections K  the source's http.connections, 1..64 (default: the config default, 4)",
      `--runs R         fresh deployments one after the other; R > 1 reports each run and the medians (default ${CLICKS_DEFAULTS.runs})`,
      '',
      'Prints {clicks, concurrency, vendorLatencyMs, ackMs: {p50, p95, p99, max}, completed, vendorCalls, auditRows, …}.',
      `Targets: ackMs.p99 < ${CLICKS_TARGETS.ackP99Ms}, every click acked (200) and answered with its snippets,`,
      'vendorCalls = auditRows = N. Exit 1 if any is missed.',
    ],
    run: (flags) => {
      const clicks = integerFlag(flags, 'clicks', CLICKS_DEFAULTS.clicks, 1, 1_000);
      return clicksBenchmark({
        clicks,
        concurrency: integerFlag(flags, 'concurrency', clicks, 1, 1_000),
        latencyMs: integerFlag(flags, 'latency', CLICKS_DEFAULTS.latencyMs, 0, 60_000),
        connections: flags.connections === undefined ? undefined : integerFlag(flags, 'connections', 4, 1, 64),
        runs: integerFlag(flags, 'runs', CLICKS_DEFAULTS.runs, 1, 99),
      });
    },
  },
  'zwa-pacing': {
    summary:
      'Zscaler ZWA with its published rate limits on: a first full scan of a backlog, then hours of incremental scans and clicks (virtual clock)',
    usage: [
      `--incidents N   backlog in the simulator (default ${ZWA_PACING_DEFAULTS.incidents})`,
      `--hours H       steady-state hours: a scan every 15 min, 14 clicks between scans (default ${ZWA_PACING_DEFAULTS.hours})`,
      `--arrivals A    new incidents per hour (default ${ZWA_PACING_DEFAULTS.arrivalsPerHour})`,
      `--seed S        dataset seed (default ${ZWA_PACING_DEFAULTS.seed})`,
      '',
      'Prints {firstFullScan, steadyState: {requests, rateLimited429, busiestMinute, …}, requests, rateLimited429, wallMs}.',
      'Time is simulated (pacing waits advance a virtual clock). Exit 1 if any request met a 429 or a scan failed.',
    ],
    run: (flags) =>
      zwaPacingBenchmark({
        incidents: integerFlag(flags, 'incidents', ZWA_PACING_DEFAULTS.incidents, 1, 1_000_000),
        hours: integerFlag(flags, 'hours', ZWA_PACING_DEFAULTS.hours, 1, 168),
        arrivalsPerHour: integerFlag(flags, 'arrivals', ZWA_PACING_DEFAULTS.arrivalsPerHour, 0, 5_000),
        seed: integerFlag(flags, 'seed', ZWA_PACING_DEFAULTS.seed, 0, 2 ** 31 - 1),
      }),
  },
  cli: {
    summary:
      '`dlp-bot --help`, `aging` and `show <ref>` on a sandbox store, each run a fresh process, beside `node -e 0`',
    usage: [
      `--runs R         rounds; each command runs once per round in a fresh process (default ${CLI_DEFAULTS.runs}, at least 3)`,
      "--bin FILE       the dlp-bot executable to time (default: this checkout's bin/dlp-bot.js)",
      "--baseline FILE  also time this executable (e.g. another checkout's bin/dlp-bot.js) in the same rounds",
      '',
      'Prints {floor, current: {commands: {help, aging, show}}, baseline?, speedup?, …}: per command the median,',
      'min and max of wall time (spawn to exit), CPU time (user + system) and peak RSS, and the ratios to the floor.',
      `Targets (2-core machine): help wallMs < ${CLI_TARGETS.helpWallMs}, aging and show wallMs < ${CLI_TARGETS.storeWallMs}.`,
      'Exit 1 if a command failed.',
    ],
    run: (flags) =>
      cliBenchmark({
        runs: integerFlag(flags, 'runs', CLI_DEFAULTS.runs, 3, 99),
        ...(typeof flags.bin === 'string' ? { bin: flags.bin } : {}),
        ...(typeof flags.baseline === 'string' ? { baseline: flags.baseline } : {}),
      }),
  },
  crash: {
    summary:
      'kill -9 a real `dlp-bot serve` at random points of its scan and posting, start it again, and count the cards lost and doubled (fake Slack with latency and 429s)',
    usage: [
      `--trials N      kills, each on a fresh store and channel, then a restart (default ${CRASH_DEFAULTS.trials})`,
      '--scopes S      history (default: the app has channels:history / groups:history) or none',
      `--incidents N   the Palo Alto simulator's dataset; about a third become cards (default ${CRASH_DEFAULTS.incidents})`,
      `--latency MS    the fake Slack's delay on every Web API call (default ${CRASH_DEFAULTS.latencyMs})`,
      `--seed S        dataset seed (default ${CRASH_DEFAULTS.seed})`,
      '',
      'Half the kills land as a random chat.postMessage reaches Slack (in flight), half at a random instant of the run.',
      'Prints {trials, lost, duplicated, announced, unannounced, inDoubt, reconciled, kills, checks, …}.',
      'Targets: with history, 0 lost and 0 duplicated; with none, 0 lost and every duplicate announced in its thread;',
      'every trial settled (nothing pending, no claim left) and some kill caught a send in flight. Exit 1 if any is missed.',
    ],
    run: (flags) => {
      const scopes = flags.scopes ?? 'history';
      if (scopes !== 'history' && scopes !== 'none') {
        throw new UsageError(`--scopes must be history or none, got ${JSON.stringify(scopes)}`);
      }
      return crashBenchmark({
        trials: integerFlag(flags, 'trials', CRASH_DEFAULTS.trials, 1, 10_000),
        history: scopes === 'history',
        incidents: integerFlag(flags, 'incidents', CRASH_DEFAULTS.incidents, 10, 2_000),
        latencyMs: integerFlag(flags, 'latency', CRASH_DEFAULTS.latencyMs, 0, 5_000),
        seed: integerFlag(flags, 'seed', CRASH_DEFAULTS.seed, 0, 2 ** 31 - 1),
      });
    },
  },
  mask: {
    summary:
      'Snippet masking: maskText on long hostile text, doubling its size (a ReDoS guard), then a huge snippet through the snippets view',
    usage: [
      `--size N         the smallest input's unit: about 26n characters, ${(26 * MASK_DEFAULTS.size).toLocaleString('en')} at the default (default ${MASK_DEFAULTS.size})`,
      `--steps S        sizes measured, doubling each time (default ${MASK_DEFAULTS.steps})`,
      `--runs R         timed runs per size and of the huge snippet, at least 3, the median counts (default ${MASK_DEFAULTS.runs})`,
      `--snippet-mb M   the huge snippet's size in MB (default ${MASK_DEFAULTS.snippetMb})`,
      '',
      'Prints {sizes: [{chars, medianMs, medianCpuMs, msPer100kChars, maskedAsExpected}], gaveUp, snippet: {wallMs, cpuMs,',
      'extraHeapMb, extraRssMb, spread}, checks}.',
      `Targets: msPer100kChars < ${MASK_TARGETS.maxMsPer100kChars} at every size, every size masked as expected; a single`,
      `masking slower than ${MASK_TARGETS.giveUpMs} ms ends the run. The snippet: median wall < ${SNIPPET_TARGETS.maxWallMs} ms and`,
      `every run < ${SNIPPET_TARGETS.maxExtraMb} MB extra heap or RSS, masked as expected. Exit 1 if any is missed.`,
    ],
    run: (flags) =>
      maskBenchmark({
        size: integerFlag(flags, 'size', MASK_DEFAULTS.size, 10, 10_000_000),
        steps: integerFlag(flags, 'steps', MASK_DEFAULTS.steps, 2, 10),
        runs: integerFlag(flags, 'runs', MASK_DEFAULTS.runs, 3, 99),
        snippetMb: integerFlag(flags, 'snippet-mb', MASK_DEFAULTS.snippetMb, 1, 400),
      }),
  },
};
