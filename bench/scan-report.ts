/** The `scan` benchmark's options, report shape and targets. */
import type { RescanReport } from './scan-rescan.js';

export interface ScanBenchOptions {
  /** Bench vendor names (bench/vendors/index.ts), run one after the other, each in a fresh process. */
  vendors: string[];
  /** Unset: each vendor's own default. */
  incidents?: number | undefined;
  pageSize?: number | undefined;
  runs: number;
  seed: number;
  /** Also scan the unchanged simulator twice more (incremental, then full) and report what those cost. */
  rescan: boolean;
}

/** One vendor's run, with the per-vendor defaults filled in. */
export interface VendorRunOptions {
  vendor: string;
  incidents: number;
  pageSize: number;
  seed: number;
  rescan: boolean;
}

export const SCAN_DEFAULTS = { runs: 1, seed: 1, rescan: false } as const;

/** Issue 15's targets on the 2-core reference machine, for 100,000 incidents (issue 1's were 5 s and 250 MB). */
export const SCAN_TARGETS = { incidents: 100_000, wallMs: 3_000, cpuMs: 2_500, peakRssMb: 200 } as const;

export interface ScanRunReport {
  vendor: string;
  /** Incidents the listing yielded and the scan stored: equals the dataset's expected count when the run is valid. */
  incidents: number;
  /** Records in the simulated dataset. */
  datasetIncidents: number;
  /** From just before runScan to its end. */
  wallMs: number;
  /** process.resourceUsage().maxRSS of this (the scanning) process, in MB. */
  peakRssMb: number;
  /** CPU this process spent during runScan (user + system, all threads): steadier than wallMs on a busy machine. */
  cpuMs: number;
  /** HTTP requests the scanner made (api + token), from its RequestCounter. */
  requests: number;
  /** Fewest API requests the documented API allows for this dataset (adapters/dlp/<vendor>/bench.ts); no tokens. */
  minRequests: number;
  minRequestsBreakdown: Record<string, number>;
  apiRequests: number;
  tokenRequests: number;
  expectedTokenRequests: number;
  /** The simulator's own count of requests received, from the child process, and per route. */
  simulatorRequests: number;
  simulatorByRoute: Record<string, number>;
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
  /** The vendor's dataset facts (status mix, records read). */
  dataset: Record<string, unknown>;
  /** Database + WAL on disk after the scan, before close. */
  storeMb: number;
  ok: boolean;
  /** Every invariant the run must satisfy to count; the exit code is 1 when one is false. */
  checks: Record<string, boolean>;
  /** The wall, CPU and RSS targets; null unless the dataset has the targets' 100,000 incidents. */
  targetsMet: boolean | null;
  /** With --rescan: the steady state (bench/scan-rescan.ts). */
  rescan?: { incremental: RescanReport; full: RescanReport };
  node: string;
  cpus: number;
}

export interface BenchOutcome {
  report: object;
  exitCode: number;
}

export const round1 = (n: number) => Math.round(n * 10) / 10;

export const passed = (report: Pick<ScanRunReport, 'ok' | 'checks'>) =>
  report.ok && Object.values(report.checks).every(Boolean);

export function targetsMet(
  datasetIncidents: number,
  figures: { wallMs: number; cpuMs: number; peakRssMb: number },
): boolean | null {
  if (datasetIncidents !== SCAN_TARGETS.incidents) return null;
  return (
    figures.wallMs < SCAN_TARGETS.wallMs &&
    figures.cpuMs < SCAN_TARGETS.cpuMs &&
    figures.peakRssMb < SCAN_TARGETS.peakRssMb
  );
}
