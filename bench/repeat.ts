import { spawn } from 'node:child_process';
import { type BenchOutcome, round1, SCAN_TARGETS, type ScanBenchOptions, type ScanRunReport } from './scan-report.js';

/** Each run in a fresh `node <script> scan …` process, so each reports its own peak RSS; then the medians. */
export async function runMany(options: ScanBenchOptions, script: string): Promise<BenchOutcome> {
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
