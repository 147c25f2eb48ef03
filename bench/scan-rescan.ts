/**
 * `scan --rescan`: the steady state after a full scan. The same sources scan the same, unchanged simulator twice
 * more at the first scan's instant (so neither the vendor's data nor the clock moved): an incremental scan, as
 * most scheduled scans are, then a full pass, as every `fullResyncEvery`th one is. Each reports its CPU and how
 * many rows SQLite changed (`total_changes()`), the scan's own bookkeeping (scan state, audit entry) included.
 */
import { performance } from 'node:perf_hooks';
import type { ScanDeps } from '../src/scan/run-scan.js';
import { runScan } from '../src/scan/run-scan.js';

export interface RescanReport {
  mode: 'full' | 'incremental';
  fetched: number;
  wallMs: number;
  cpuMs: number;
  /** Rows SQLite inserted, updated or deleted during the scan, bookkeeping included. */
  rowsChanged: number;
  /** Incident rows this scan changed (their `last_seen_scan` is its id): zero when nothing was rewritten. */
  incidentRowsWritten: number;
  intents: number;
  /** cpuMs over the first (full) scan's cpuMs. */
  cpuShareOfFullScan: number;
}

export async function measureRescans(
  deps: ScanDeps,
  now: Date,
  fullScanCpuMs: number,
): Promise<{ incremental: RescanReport; full: RescanReport }> {
  const incremental = await rescan(deps, now, fullScanCpuMs, false);
  const full = await rescan(deps, now, fullScanCpuMs, true);
  return { incremental, full };
}

async function rescan(deps: ScanDeps, now: Date, fullScanCpuMs: number, forceFull: boolean): Promise<RescanReport> {
  const { db } = deps.store;
  const totalChanges = db.prepare<[], number>('SELECT total_changes()').pluck();
  const writtenBy = db.prepare<[string], number>('SELECT count(*) FROM incidents WHERE last_seen_scan = ?').pluck();
  const changesBefore = totalChanges.get() ?? 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const summary = await runScan({ ...deps, options: { ...deps.options, forceFull } }, now);
  const wallMs = Math.round(performance.now() - started);
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = Math.round((cpu.user + cpu.system) / 1000);
  const [source] = summary.sources;
  return {
    mode: source?.mode ?? 'full',
    fetched: summary.totals.fetched,
    wallMs,
    cpuMs,
    rowsChanged: (totalChanges.get() ?? 0) - changesBefore,
    incidentRowsWritten: writtenBy.get(summary.scanId) ?? 0,
    intents: summary.totals.intents,
    cpuShareOfFullScan: fullScanCpuMs > 0 ? Math.round((cpuMs / fullScanCpuMs) * 1000) / 1000 : 0,
  };
}
