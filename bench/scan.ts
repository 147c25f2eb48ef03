/**
 * `npm run bench -- scan`: one full scan of N incidents from the Palo Alto simulator over loopback, through
 * the real scan path (adapter pagination, zod validation, mapping, SLA evaluation, one transaction per page,
 * outbox intents) into a fresh SQLite file store. The simulator runs in a child process, so this process's
 * peak RSS and CPU are the scanner's alone.
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { ADAPTERS } from '../adapters/dlp/index.js';
import { parseConfigObject } from '../src/app/sandbox.js';
import { createSlaPolicy } from '../src/domain/sla.js';
import { createRequestCounter } from '../src/http/counter.js';
import { createLogger } from '../src/log.js';
import { type IncidentSource, systemClock } from '../src/ports.js';
import { runScan } from '../src/scan/run-scan.js';
import { openStore } from '../src/store/index.js';
import {
  type ChildMessage,
  type CountsMessage,
  PAN_LIST_STATUSES,
  type PanListStatus,
  type ParentMessage,
  type ReadyMessage,
  type StartMessage,
} from './protocol.js';

export interface ScanBenchOptions {
  incidents: number;
  pageSize: number;
  runs: number;
  seed: number;
}

export const SCAN_DEFAULTS: ScanBenchOptions = { incidents: 100_000, pageSize: 500, runs: 1, seed: 1 };

/** The targets on the 2-core reference machine. */
export const SCAN_TARGETS = { wallMs: 5_000, peakRssMb: 250 } as const;

/** The simulator's default; a realistic mix of ok, due-soon, breached and escalated incidents. */
const BREACHED_SHARE = 0.3;
const CHILD_READY_TIMEOUT_MS = 60_000;

export interface ScanRunReport {
  benchmark: 'scan';
  /** Records fetched from the vendor and stored: equals the requested N when the run is valid. */
  incidents: number;
  /** From just before runScan to its end. */
  wallMs: number;
  /** process.resourceUsage().maxRSS of this (the scanning) process, in MB. */
  peakRssMb: number;
  /** CPU this process spent during runScan (user + system, all threads): steadier than wallMs on a busy machine. */
  cpuMs: number;
  /** HTTP requests the scanner made (api + token), from its RequestCounter. */
  requests: number;
  /** Σ over listed statuses of ceil(count / pageSize), at least 1 each; excludes token requests. */
  minRequests: number;
  apiRequests: number;
  tokenRequests: number;
  /** The simulator's own count of requests received, from the child process. */
  simulatorRequests: number;
  /** CPU the simulator child spent serving the scan (it runs on the other core, overlapped by prefetch). */
  simulatorCpuMs: number;
  pages: number;
  pageSize: number;
  incidentsPerSec: number;
  skipped: number;
  intents: number;
  awaiting: number;
  dueSoon: number;
  breached: number;
  escalated: number;
  statusCounts: Record<PanListStatus, number>;
  /** Database + WAL + shm on disk after the scan, before close. */
  storeMb: number;
  ok: boolean;
  /** Every invariant the run must satisfy to count; the exit code is 1 when one is false. */
  checks: Record<string, boolean>;
  targetsMet: boolean;
  node: string;
  cpus: number;
}

export interface BenchOutcome {
  report: object;
  exitCode: number;
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const mb = (bytes: number) => round1(bytes / (1024 * 1024));

/** Runs the benchmark: in this process for one run, in a fresh process per run otherwise (peak RSS is per process). */
export async function scanBenchmark(options: ScanBenchOptions, script: string): Promise<BenchOutcome> {
  if (options.runs === 1) {
    const report = await runOnce(options);
    return { report, exitCode: report.ok && Object.values(report.checks).every(Boolean) ? 0 : 1 };
  }
  return runMany(options, script);
}

async function runOnce(options: ScanBenchOptions): Promise<ScanRunReport> {
  const child = startChild();
  const tempDir = mkdtempSync(join(tmpdir(), 'dlp-bench-'));
  const sources: IncidentSource[] = [];
  let store: ReturnType<typeof openStore> | undefined;
  try {
    const ready = await child.start({
      incidents: options.incidents,
      seed: options.seed,
      breachedShare: BREACHED_SHARE,
      anchorMs: Date.now(),
    });

    // Built exactly as the app builds a source: the simulator's dlp-bot.yaml entry through the config schema.
    const config = parseConfigObject(
      {
        store: { path: join(tempDir, 'bench.sqlite') },
        // Every status the dataset produces, so the scan fetches all N records (not only the open ones).
        sources: [{ ...ready.sourceConfig, pageSize: options.pageSize, listStatuses: [...PAN_LIST_STATUSES] }],
      },
      ready.env,
      ADAPTERS,
    );
    // Production log level; the lines go nowhere so stdout/stderr stay clean, but the logging work is done.
    const logger = createLogger({ level: 'info', format: 'json', destination: discard() });
    const counter = createRequestCounter();
    for (const source of config.sources.filter((s) => s.enabled)) {
      const adapter = ADAPTERS.find((a) => a.vendor === source.vendor);
      if (!adapter) throw new Error(`no adapter for vendor ${source.vendor}`);
      sources.push(
        adapter.create(source, { logger: logger.child({ source: source.id }), counter, clock: systemClock }),
      );
    }
    store = openStore(config.store.path);
    const policy = createSlaPolicy(config.sla, config.sources);
    let pages = 0;

    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const summary = await runScan(
      {
        store,
        sources,
        policy,
        logger,
        options: { ...config.scan, forceFull: true },
        onProgress: () => {
          pages += 1;
        },
      },
      new Date(),
    );
    const wallMs = Math.round(performance.now() - started);
    const cpu = process.cpuUsage(cpuBefore);
    const peakRssMb = mb(process.resourceUsage().maxRSS * 1024);

    const served = await child.counts();
    const storeMb = mb(fileSize(config.store.path) + fileSize(`${config.store.path}-wal`));
    const counts = counter.bySource();
    const apiRequests = Object.values(counts).reduce((sum, c) => sum + c.api, 0);
    const tokenRequests = Object.values(counts).reduce((sum, c) => sum + c.token, 0);
    const requests = counter.total();
    const minRequests = PAN_LIST_STATUSES.reduce(
      (sum, status) => sum + Math.max(1, Math.ceil(ready.statusCounts[status] / options.pageSize)),
      0,
    );
    const { totals } = summary;
    const ok = totals.failed === 0;
    const checks = {
      sourceOk: ok,
      fetchedAll: totals.fetched === options.incidents && totals.skipped === 0,
      minimalRequests: apiRequests === minRequests && tokenRequests === 1,
      simulatorAgrees: served.total === requests && served.token === tokenRequests,
      datasetAgrees: ready.openIncidentCount === ready.statusCounts.open,
    };
    return {
      benchmark: 'scan',
      incidents: totals.fetched,
      wallMs,
      peakRssMb,
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      requests,
      minRequests,
      apiRequests,
      tokenRequests,
      simulatorRequests: served.total,
      simulatorCpuMs: served.cpuMs,
      pages,
      pageSize: options.pageSize,
      incidentsPerSec: wallMs > 0 ? Math.round((totals.fetched * 1000) / wallMs) : 0,
      skipped: totals.skipped,
      intents: totals.intents,
      awaiting: totals.incidents,
      dueSoon: totals.dueSoon,
      breached: totals.breached,
      escalated: totals.escalated,
      statusCounts: ready.statusCounts,
      storeMb,
      ok,
      checks,
      targetsMet: wallMs < SCAN_TARGETS.wallMs && peakRssMb < SCAN_TARGETS.peakRssMb,
      node: process.version,
      cpus: availableParallelism(),
    };
  } finally {
    await Promise.allSettled(sources.map((s) => s.close()));
    store?.close();
    await child.stop();
    rmSync(tempDir, { recursive: true, force: true });
  }
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function discard(): Writable {
  return new Writable({
    write(_chunk, _encoding, callback) {
      callback();
    },
  });
}

interface SimulatorChild {
  start(message: Omit<StartMessage, 'type'>): Promise<ReadyMessage>;
  counts(): Promise<CountsMessage>;
  stop(): Promise<void>;
}

function startChild(): SimulatorChild {
  const path = fileURLToPath(new URL('./simulator-child.js', import.meta.url));
  // No execArgv: a --cpu-prof or --prof given to the benchmark must not profile the simulator too.
  // The child's stdout goes to our stderr, so nothing but the report ever reaches stdout.
  const child: ChildProcess = fork(path, [], { execArgv: [], stdio: ['ignore', 2, 2, 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const next = <T extends ChildMessage['type']>(type: T, timeoutMs: number) =>
    new Promise<Extract<ChildMessage, { type: T }>>((resolve, reject) => {
      const timer = setTimeout(
        () => done(new Error(`simulator child: no "${type}" within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const onMessage = (message: ChildMessage) => {
        if (message.type === type) done(null, message as Extract<ChildMessage, { type: T }>);
        else if (message.type === 'failed') done(new Error(`simulator child failed: ${message.message}`));
      };
      const onExit = (code: number | null) => done(new Error(`simulator child exited (${code}) before "${type}"`));
      function done(error: Error | null, message?: Extract<ChildMessage, { type: T }>) {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        if (error) reject(error);
        else resolve(message as Extract<ChildMessage, { type: T }>);
      }
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const send = (message: ParentMessage) => child.send(message);

  return {
    async start(message) {
      const ready = next('ready', CHILD_READY_TIMEOUT_MS);
      send({ type: 'start', ...message });
      return ready;
    },
    async counts() {
      const counts = next('counts', 10_000);
      send({ type: 'counts' });
      return counts;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (child.connected) send({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Each run in a fresh `node <script> scan …` process, so each reports its own peak RSS; then the medians. */
async function runMany(options: ScanBenchOptions, script: string): Promise<BenchOutcome> {
  const each: ScanRunReport[] = [];
  let exitCode = 0;
  for (let run = 1; run <= options.runs; run += 1) {
    const args = ['scan', '--incidents', String(options.incidents), '--page-size', String(options.pageSize)];
    const { stdout, code } = await runNode(script, [...args, '--seed', String(options.seed)]);
    let report: ScanRunReport;
    try {
      report = JSON.parse(stdout) as ScanRunReport;
    } catch {
      throw new Error(`run ${run} printed no JSON report (exit ${code})`);
    }
    if (code !== 0) exitCode = 1;
    each.push(report);
    process.stderr.write(
      `scan run ${run}/${options.runs}: ${report.incidents} incidents, ${report.wallMs} ms, ${report.peakRssMb} MB peak RSS, ${report.requests} requests (exit ${code})\n`,
    );
  }
  const median = (pick: (r: ScanRunReport) => number) => medianOf(each.map(pick));
  const spread = (pick: (r: ScanRunReport) => number) => {
    const values = each.map(pick);
    return { min: Math.min(...values), max: Math.max(...values) };
  };
  const first = each[0] as ScanRunReport;
  const wallMs = median((r) => r.wallMs);
  const peakRssMb = median((r) => r.peakRssMb);
  return {
    exitCode,
    report: {
      benchmark: 'scan',
      statistic: `median of ${each.length} runs, each in a fresh process`,
      incidents: median((r) => r.incidents),
      wallMs,
      peakRssMb,
      cpuMs: median((r) => r.cpuMs),
      simulatorCpuMs: median((r) => r.simulatorCpuMs),
      requests: median((r) => r.requests),
      minRequests: median((r) => r.minRequests),
      tokenRequests: median((r) => r.tokenRequests),
      incidentsPerSec: median((r) => r.incidentsPerSec),
      storeMb: median((r) => r.storeMb),
      pageSize: options.pageSize,
      spread: {
        wallMs: spread((r) => r.wallMs),
        peakRssMb: spread((r) => r.peakRssMb),
        cpuMs: spread((r) => r.cpuMs),
      },
      targetsMet: wallMs < SCAN_TARGETS.wallMs && peakRssMb < SCAN_TARGETS.peakRssMb,
      allChecksPassed: each.every((r) => Object.values(r.checks).every(Boolean)),
      node: first.node,
      cpus: first.cpus,
      runs: each,
    },
  };
}

export function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] ?? Number.NaN;
  return sorted.length % 2 === 1 ? upper : round1(((sorted[mid - 1] ?? Number.NaN) + upper) / 2);
}

function runNode(script: string, args: string[]): Promise<{ stdout: string; code: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ stdout: Buffer.concat(chunks).toString('utf8'), code: code ?? 1 }));
  });
}
