/**
 * `npm run bench -- zwa-pacing`: Zscaler Workflow Automation under its published rate limits. A first full scan
 * of a large backlog, then hours of steady state (an incremental scan every 15 minutes with triage clicks in
 * between) against the ZWA simulator with `publishedLimits` on, through the real scan path into a store.
 *
 * The clock is VIRTUAL: the simulator's rate windows, the adapter's pacer and the scan share one simulated clock,
 * and a pacing wait advances it instead of sleeping, so hours of rate-limited traffic run in seconds. Everything
 * runs one call at a time, so the clock never jumps while a request is in flight (which would model a network
 * delay of minutes). Real HTTP over loopback; only time is simulated.
 */

import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { ADAPTERS } from '../adapters/dlp/index.js';
import { type LimitClass, SIMULATED_LIMITS, startZscalerSimulator } from '../adapters/dlp/zscaler/simulator.js';
import { parseConfigObject } from '../src/app/sandbox.js';
import { createSlaPolicy } from '../src/domain/sla.js';
import { createRequestCounter } from '../src/http/counter.js';
import { createLogger } from '../src/log.js';
import type { Actor, IncidentSource } from '../src/ports/index.js';
import { runScan, type ScanSummary } from '../src/scan/run-scan.js';
import { openStore } from '../src/store/index.js';

export interface ZwaPacingOptions {
  incidents: number;
  hours: number;
  arrivalsPerHour: number;
  seed: number;
}

export const ZWA_PACING_DEFAULTS: ZwaPacingOptions = { incidents: 50_000, hours: 4, arrivalsPerHour: 240, seed: 1 };

const ANCHOR = new Date('2026-11-23T10:00:00Z');
const SCAN_EVERY_MS = 15 * 60_000;
/** Clicks between two scans: as a busy team of analysts might make them. */
const CLICKS = { snippets: 8, notes: 4, falsePositives: 2 } as const;
const BY: Actor = { email: 'bench@example.com', display: 'Bench' };
const CLASSES: readonly LimitClass[] = ['token', 'medium', 'light'];

type Arrival = { limit: LimitClass; atMs: number; status: number };

/** The most requests of one class inside any window of `spanMs`, from arrival times in order. */
function busiest(arrivals: readonly Arrival[], spanMs: number): Record<LimitClass, number> {
  const out = { token: 0, medium: 0, light: 0 };
  for (const limit of CLASSES) {
    const times = arrivals.filter((a) => a.limit === limit && a.status !== 429).map((a) => a.atMs);
    for (let start = 0, end = 0; end < times.length; end += 1) {
      while ((times[start] as number) <= (times[end] as number) - spanMs) start += 1;
      out[limit] = Math.max(out[limit], end - start + 1);
    }
  }
  return out;
}

function phaseReport(arrivals: readonly Arrival[], wallMs: number, virtualMs: number) {
  const byClass = Object.fromEntries(CLASSES.map((c) => [c, arrivals.filter((a) => a.limit === c).length]));
  return {
    requests: arrivals.length,
    rateLimited429: arrivals.filter((a) => a.status === 429).length,
    byClass,
    busiestMinute: busiest(arrivals, 60_000),
    busiestHour: busiest(arrivals, 3_600_000),
    virtualMinutes: Math.round(virtualMs / 600) / 100,
    wallMs: Math.round(wallMs),
  };
}

export async function zwaPacingBenchmark(options: ZwaPacingOptions): Promise<{ report: object; exitCode: number }> {
  let nowMs = ANCHOR.getTime();
  const clock = { now: () => new Date(nowMs) };
  const sleep = async (ms: number) => {
    nowMs += ms;
  };
  const arrivals: Arrival[] = [];
  const sim = await startZscalerSimulator({
    seed: options.seed,
    incidents: options.incidents,
    anchor: ANCHOR,
    arrivalsPerHour: options.arrivalsPerHour,
    clock,
    publishedLimits: true,
    onRequest: (limit, atMs, status) => arrivals.push({ limit, atMs, status }),
  });
  const store = openStore(':memory:');
  let source: IncidentSource | undefined;
  try {
    // A full pass of a large ZWA backlog costs totalElements/100 searches; a resync every hour cannot fit 400/h.
    const config = parseConfigObject(
      { scan: { fullResyncEvery: 1_000 }, sources: [sim.sourceConfig('zwa')] },
      sim.env(),
      ADAPTERS,
    );
    const logger = createLogger({ level: 'info', format: 'json', destination: discard() });
    const [entry] = config.sources;
    const adapter = ADAPTERS.find((a) => a.vendor === 'zscaler');
    if (!entry || !adapter) throw new Error('the zscaler adapter is not registered');
    source = adapter.create(entry, { logger, counter: createRequestCounter(), clock, sleep });
    const deps = { store, sources: [source], policy: createSlaPolicy(config.sla, config.sources), logger };
    const scan = (forceFull: boolean) => runScan({ ...deps, options: { ...config.scan, forceFull } }, clock.now());

    const wall0 = performance.now();
    const first = await scan(true);
    const firstArrivals = arrivals.splice(0);
    const firstScan = {
      ...phaseReport(firstArrivals, performance.now() - wall0, nowMs - ANCHOR.getTime()),
      fetched: first.totals.fetched,
      ok: first.totals.failed === 0,
    };

    const steadyStart = nowMs;
    const wall1 = performance.now();
    const scans: ScanSummary[] = [];
    const clicks = { snippets: 0, notes: 0, falsePositives: 0, failed: 0 };
    let slot = Math.ceil(nowMs / SCAN_EVERY_MS) * SCAN_EVERY_MS;
    while (slot < steadyStart + options.hours * 3_600_000) {
      nowMs = Math.max(nowMs, slot);
      const open = [...store.incidents.iterateOpen({ source: 'zwa' })].map((i) => i.id);
      for (let i = 0; i < CLICKS.snippets && i < open.length; i += 1) {
        const ok = (await source.snippets(open[i] as string)).ok;
        clicks.snippets += 1;
        if (!ok) clicks.failed += 1;
      }
      for (let i = 0; i < CLICKS.notes && i < open.length; i += 1) {
        const ok = (await source.addNote(open[CLICKS.snippets + i] as string, 'bench note', BY)).ok;
        clicks.notes += 1;
        if (!ok) clicks.failed += 1;
      }
      for (let i = 0; i < CLICKS.falsePositives && i < open.length; i += 1) {
        // The store still lists an incident closed in ZWA until the next full pass, so each round takes new ones.
        const pick = open[open.length - 1 - (scans.length * CLICKS.falsePositives + i)];
        if (pick === undefined) break;
        const ok = (await source.markFalsePositive(pick, 'bench', BY)).ok;
        clicks.falsePositives += 1;
        if (!ok) clicks.failed += 1;
      }
      scans.push(await scan(false));
      slot += SCAN_EVERY_MS;
    }
    const steadyState = {
      hours: options.hours,
      scans: scans.length,
      incrementalScans: scans.filter((s) => s.sources[0]?.mode === 'incremental').length,
      fetched: scans.reduce((sum, s) => sum + s.totals.fetched, 0),
      failedScans: scans.filter((s) => s.totals.failed > 0).length,
      clicks,
      ...phaseReport(arrivals, performance.now() - wall1, nowMs - steadyStart),
    };
    const checks = {
      steadyStateNo429: steadyState.rateLimited429 === 0,
      firstScanNo429: firstScan.rateLimited429 === 0,
      firstScanFetchedAllOpen: firstScan.ok && firstScan.fetched > 0,
      scansOk: steadyState.failedScans === 0 && steadyState.incrementalScans === steadyState.scans,
      clicksOk: clicks.failed === 0,
    };
    const report = {
      benchmark: 'zwa-pacing',
      clock:
        'virtual: the simulator, the pacer and the scan share a simulated clock; pacing waits advance it instead of sleeping',
      publishedLimits: SIMULATED_LIMITS,
      dataset: { incidents: options.incidents, arrivalsPerHour: options.arrivalsPerHour, seed: options.seed },
      firstFullScan: firstScan,
      steadyState,
      requests: firstScan.requests + steadyState.requests,
      rateLimited429: firstScan.rateLimited429 + steadyState.rateLimited429,
      wallMs: firstScan.wallMs + steadyState.wallMs,
      checks,
      node: process.version,
    };
    return { report, exitCode: Object.values(checks).every(Boolean) ? 0 : 1 };
  } finally {
    await source?.close();
    store.close();
    await sim.close();
  }
}

function discard(): Writable {
  return new Writable({
    write(_chunk, _encoding, callback) {
      callback();
    },
  });
}
