import { spawn } from 'node:child_process';
import { passed, round1, type ScanRunReport, targetsMet, type VendorRunOptions } from './scan-report.js';

/** One vendor, one run, in a fresh `node <script> scan --vendor …` process (so it reports its own peak RSS). */
export async function runFresh(script: string, options: VendorRunOptions): Promise<ScanRunReport> {
  const args = ['scan', '--vendor', options.vendor, '--incidents', String(options.incidents)];
  const { stdout, code } = await runNode(script, [
    ...args,
    '--page-size',
    String(options.pageSize),
    '--seed',
    String(options.seed),
    ...(options.rescan ? ['--rescan'] : []),
  ]);
  let report: ScanRunReport | undefined;
  try {
    report = (JSON.parse(stdout) as { results: Record<string, ScanRunReport> }).results[options.vendor];
  } catch {
    report = undefined;
  }
  if (!report) throw new Error(`the ${options.vendor} run printed no JSON report (exit ${code})`);
  process.stderr.write(
    `scan ${options.vendor}: ${report.incidents} incidents, ${report.wallMs} ms, ${report.peakRssMb} MB peak RSS, ${report.requests} requests (min ${report.minRequests} + ${report.expectedTokenRequests} token), exit ${code}\n`,
  );
  // A run that exits 1 has a false check or a failed source; its report says which.
  return report;
}

/** R fresh-process runs of one vendor, then the medians. */
export async function runMany(options: VendorRunOptions, runs: number, script: string) {
  const each: ScanRunReport[] = [];
  for (let run = 1; run <= runs; run += 1) each.push(await runFresh(script, options));
  const median = (pick: (r: ScanRunReport) => number) => medianOf(each.map(pick));
  const spread = (pick: (r: ScanRunReport) => number) => {
    const values = each.map(pick);
    return { min: Math.min(...values), max: Math.max(...values) };
  };
  const first = each[0] as ScanRunReport;
  const wallMs = median((r) => r.wallMs);
  const peakRssMb = median((r) => r.peakRssMb);
  const cpuMs = median((r) => r.cpuMs);
  return {
    vendor: options.vendor,
    statistic: `median of ${each.length} runs, each in a fresh process`,
    incidents: median((r) => r.incidents),
    datasetIncidents: options.incidents,
    wallMs,
    peakRssMb,
    cpuMs,
    simulatorCpuMs: median((r) => r.simulatorCpuMs),
    requests: median((r) => r.requests),
    minRequests: median((r) => r.minRequests),
    tokenRequests: median((r) => r.tokenRequests),
    incidentsPerSec: median((r) => r.incidentsPerSec),
    storeMb: median((r) => r.storeMb),
    ...(options.rescan ? { rescan: rescanMedians(each) } : {}),
    pageSize: options.pageSize,
    spread: {
      wallMs: spread((r) => r.wallMs),
      peakRssMb: spread((r) => r.peakRssMb),
      cpuMs: spread((r) => r.cpuMs),
    },
    targetsMet: targetsMet(options.incidents, { wallMs, cpuMs, peakRssMb }),
    allChecksPassed: each.every(passed),
    node: first.node,
    cpus: first.cpus,
    runs: each,
  };
}

/** Per rescan mode, the medians of what each run reported, with the CPU's spread. */
function rescanMedians(each: readonly ScanRunReport[]) {
  const modes = ['incremental', 'full'] as const;
  return Object.fromEntries(
    modes.map((mode) => {
      const pick = (f: (r: NonNullable<ScanRunReport['rescan']>['full']) => number) =>
        each.map((r) => (r.rescan ? f(r.rescan[mode]) : Number.NaN));
      const cpu = pick((r) => r.cpuMs);
      return [
        mode,
        {
          fetched: medianOf(pick((r) => r.fetched)),
          wallMs: medianOf(pick((r) => r.wallMs)),
          cpuMs: medianOf(cpu),
          cpuSpread: { min: Math.min(...cpu), max: Math.max(...cpu) },
          rowsChanged: medianOf(pick((r) => r.rowsChanged)),
          incidentRowsWritten: medianOf(pick((r) => r.incidentRowsWritten)),
          cpuShareOfFullScan: medianOf(pick((r) => r.cpuShareOfFullScan)),
        },
      ];
    }),
  );
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
