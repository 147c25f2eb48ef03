/** The `scan` benchmark's options, report shape and targets. */
import type { PanListStatus } from './protocol.js';

export interface ScanBenchOptions {
  incidents: number;
  pageSize: number;
  runs: number;
  seed: number;
}

export const SCAN_DEFAULTS: ScanBenchOptions = { incidents: 100_000, pageSize: 500, runs: 1, seed: 1 };

/** The targets on the 2-core reference machine. */
export const SCAN_TARGETS = { wallMs: 5_000, peakRssMb: 250 } as const;

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

export const round1 = (n: number) => Math.round(n * 10) / 10;
