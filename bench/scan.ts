/**
 * `npm run bench -- scan`: one full scan of N incidents from the Palo Alto simulator over loopback, through
 * the real scan path (adapter pagination, zod validation, mapping, SLA evaluation, one transaction per page,
 * outbox intents) into a fresh SQLite file store. The simulator runs in a child process, so this process's
 * peak RSS and CPU are the scanner's alone.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { ADAPTERS } from '../adapters/dlp/index.js';
import { parseConfigObject } from '../src/app/sandbox.js';
import { createSlaPolicy } from '../src/domain/sla.js';
import { createRequestCounter } from '../src/http/counter.js';
import { createLogger } from '../src/log.js';
import { type IncidentSource, systemClock } from '../src/ports.js';
import { runScan } from '../src/scan/run-scan.js';
import { openStore } from '../src/store/index.js';
import { PAN_LIST_STATUSES } from './protocol.js';
import { runMany } from './repeat.js';
import { type BenchOutcome, round1, SCAN_TARGETS, type ScanBenchOptions, type ScanRunReport } from './scan-report.js';
import { startSimulatorChild } from './simulator-process.js';

/** The simulator's default; a realistic mix of ok, due-soon, breached and escalated incidents. */
const BREACHED_SHARE = 0.3;

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
  const child = startSimulatorChild();
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
