/**
 * `npm run bench -- scan`: one full scan of N incidents from each vendor's simulator over loopback, through
 * the real scan path (adapter pagination, zod validation, mapping, SLA evaluation, one transaction per page,
 * outbox intents) into a fresh SQLite file store. The simulator runs in a child process, so this process's
 * peak RSS and CPU are the scanner's alone; each vendor runs in a fresh process of its own for the same reason.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { ADAPTERS } from '../adapters/dlp/index.js';
import type { BenchVendor } from '../adapters/dlp/simulator-kit/bench-kit.js';
import { parseConfigObject } from '../src/app/sandbox.js';
import { createSlaPolicy } from '../src/domain/sla.js';
import { createRequestCounter } from '../src/http/counter.js';
import { createLogger } from '../src/log.js';
import { type IncidentSource, systemClock } from '../src/ports/index.js';
import { runScan } from '../src/scan/run-scan.js';
import { openStore } from '../src/store/index.js';
import { runFresh, runMany } from './repeat.js';
import {
  type BenchOutcome,
  passed,
  round1,
  type ScanBenchOptions,
  type ScanRunReport,
  targetsMet,
  type VendorRunOptions,
} from './scan-report.js';
import { measureRescans } from './scan-rescan.js';
import { startSimulatorChild } from './simulator-process.js';
import { benchVendor } from './vendors/index.js';

/** The simulator's default; a realistic mix of ok, due-soon, breached and escalated incidents. */
const BREACHED_SHARE = 0.3;

const mb = (bytes: number) => round1(bytes / (1024 * 1024));

/** Each vendor's defaults where the flags leave a value unset. */
export function vendorRunOptions(options: ScanBenchOptions, vendor: BenchVendor): VendorRunOptions {
  return {
    vendor: vendor.vendor,
    incidents: options.incidents ?? vendor.defaults.incidents,
    pageSize: options.pageSize ?? vendor.defaults.pageSize,
    seed: options.seed,
    rescan: options.rescan,
  };
}

/**
 * One vendor once: in this process. Otherwise every vendor and every run in a fresh process, since peak RSS is
 * per process and one vendor's peak must not show in the next one's figure.
 */
export async function scanBenchmark(options: ScanBenchOptions, script: string): Promise<BenchOutcome> {
  const vendors = await Promise.all(
    options.vendors.map(async (name) => {
      const vendor = await benchVendor(name);
      if (!vendor) throw new Error(`no benchmark definition for vendor "${name}"`);
      return vendor;
    }),
  );
  const results: Record<string, object> = {};
  let allPassed = true;
  for (const vendor of vendors) {
    const run = vendorRunOptions(options, vendor);
    if (vendors.length === 1 && options.runs === 1) {
      const report = await runOnce(vendor, run);
      results[vendor.vendor] = report;
      allPassed &&= passed(report);
    } else if (options.runs === 1) {
      const report = await runFresh(script, run);
      results[vendor.vendor] = report;
      allPassed &&= passed(report);
    } else {
      const summary = await runMany(run, options.runs, script);
      results[vendor.vendor] = summary;
      allPassed &&= summary.allChecksPassed;
    }
  }
  return {
    report: { benchmark: 'scan', vendors: Object.keys(results), allChecksPassed: allPassed, results },
    exitCode: allPassed ? 0 : 1,
  };
}

async function runOnce(vendor: BenchVendor, options: VendorRunOptions): Promise<ScanRunReport> {
  const child = startSimulatorChild();
  const tempDir = mkdtempSync(join(tmpdir(), 'dlp-bench-'));
  const sources: IncidentSource[] = [];
  let store: ReturnType<typeof openStore> | undefined;
  try {
    const spec = {
      incidents: options.incidents,
      seed: options.seed,
      breachedShare: BREACHED_SHARE,
      anchorMs: Date.now(),
    };
    const ready = await child.start({ vendor: vendor.vendor, ...spec });
    const forDataset = vendor.expect(ready.facts, spec, options.pageSize);

    // Built exactly as the app builds a source: the simulator's dlp-bot.yaml entry through the config schema.
    const config = parseConfigObject(
      {
        store: { path: join(tempDir, 'bench.sqlite') },
        sources: [vendor.source(ready.sourceConfig, ready.facts, options.pageSize)],
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

    const now = new Date();
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
      now,
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
    const { totals } = summary;
    const cardReads = (vendor.requestsPerCard ?? 0) * totals.intents;
    const expected = cardReads
      ? {
          ...forDataset,
          minApiRequests: forDataset.minApiRequests + cardReads,
          breakdown: { ...forDataset.breakdown, forCards: cardReads },
        }
      : forDataset;
    const cpuMs = Math.round((cpu.user + cpu.system) / 1000);
    // After every figure of the first scan is taken, so the rescans' requests and CPU count in none of them.
    const rescan = options.rescan
      ? await measureRescans({ store, sources, policy, logger, options: config.scan }, now, cpuMs)
      : undefined;
    const ok = totals.failed === 0;
    const checks = {
      sourceOk: ok,
      fetchedAll: totals.fetched === expected.fetched && totals.skipped === 0,
      minimalRequests: apiRequests === expected.minApiRequests && tokenRequests === expected.tokenRequests,
      simulatorAgrees: served.total === requests && served.token === tokenRequests,
      ...expected.checks,
    };
    return {
      vendor: vendor.vendor,
      incidents: totals.fetched,
      datasetIncidents: options.incidents,
      wallMs,
      peakRssMb,
      cpuMs,
      requests,
      minRequests: expected.minApiRequests,
      minRequestsBreakdown: expected.breakdown,
      apiRequests,
      tokenRequests,
      expectedTokenRequests: expected.tokenRequests,
      simulatorRequests: served.total,
      simulatorByRoute: served.byRoute,
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
      dataset: expected.dataset,
      storeMb,
      ok,
      checks,
      targetsMet: targetsMet(options.incidents, { wallMs, cpuMs, peakRssMb }),
      ...(rescan ? { rescan } : {}),
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
