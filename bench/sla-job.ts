/**
 * `npm run bench -- sla-job`: the Broadcom article's job (move New incidents past their 4/8/12/16 h SLA to
 * "SLA Breach", with a note) on a Symantec simulator of N incidents, done twice back to back on fresh simulators
 * with the same seed and anchor: (a) by a minimal client that sends exactly the article's requests
 * (sla-job-minimal.ts), (b) by the bot's real scan path with write-back on, into a fresh store, timed until the
 * vendor answered its last write-back (`botMs`, the job), until the bot had recorded it too (`botRecordedMs`) and
 * until the whole scan ended (`botScanMs`); then (c) the same
 * scan with write-back off, so the report shows what the bot's job costs beyond listing and storing the incidents. Each simulator runs
 * in a child process, so this process's CPU is the client's alone. sameSet: both moved exactly the rule's ground
 * truth, read back from each simulator through its API after the job (not timed).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { ADAPTERS } from '../adapters/dlp/index.js';
import { parseConfigObject } from '../src/app/sandbox.js';
import { createSlaPolicy } from '../src/domain/sla.js';
import { createRequestCounter } from '../src/http/counter.js';
import { createLogger } from '../src/log.js';
import { systemClock } from '../src/ports/index.js';
import { runScan } from '../src/scan/run-scan.js';
import { openStore } from '../src/store/index.js';
import { medianOf } from './repeat.js';
import type { BenchOutcome } from './scan-report.js';
import { minimalSlaJob } from './sla-job-minimal.js';
import { beforeJob, breachedIds, withSimulator } from './sla-job-simulator.js';

export const SLA_JOB_DEFAULTS = { incidents: 20_000, runs: 3, seed: 1 } as const;
/** The target: the bot no slower than the minimal client. */
export const SLA_JOB_TARGET_RATIO = 1;
const BREACHED_SHARE = 0.3;

export interface SlaJobOptions {
  incidents: number;
  runs: number;
  seed: number;
  /** The bot source's `pageSize`; omitted, the config default. */
  pageSize?: number;
  /** The bot source's `assignment.type`; omitted, the config default (dataOwner). */
  assignment?: 'dataOwner' | 'none';
}

interface Side {
  wallMs: number;
  cpuMs: number;
  simulatorCpuMs: number;
  requests: number;
  moved: number;
}

const cpuMs = (usage: NodeJS.CpuUsage) => Math.round((usage.user + usage.system) / 1000);

async function minimalSide(spec: object) {
  return withSimulator(spec, async (_ready, target) => {
    const { nowMs, before, truth } = await beforeJob(target);
    const cpu = process.cpuUsage();
    const started = performance.now();
    const done = await minimalSlaJob(target, nowMs);
    const wallMs = Math.round(performance.now() - started);
    const used = cpuMs(process.cpuUsage(cpu));
    const moved = [...(await breachedIds(target))].filter((id) => !before.has(id));
    return { wallMs, cpuMs: used, requests: done.requests, moved, truth };
  });
}

async function botSide(spec: object, options: SlaJobOptions, writeBack: boolean) {
  const tempDir = mkdtempSync(join(tmpdir(), 'dlp-bench-sla-'));
  try {
    return await withSimulator(spec, async (ready, target) => {
      const { nowMs, before, truth } = await beforeJob(target);
      const entry = {
        ...ready.sourceConfig,
        writeBack: { enabled: writeBack },
        ...(options.pageSize ? { pageSize: options.pageSize } : {}),
        ...(options.assignment ? { assignment: { type: options.assignment } } : {}),
      };
      const config = parseConfigObject(
        { store: { path: join(tempDir, 'bench.sqlite') }, sources: [entry] },
        ready.env,
        ADAPTERS,
      );
      const logger = createLogger({ level: 'info', format: 'json', destination: discard() });
      const counter = createRequestCounter();
      const sources = config.sources.map((source) => {
        const adapter = ADAPTERS.find((a) => a.vendor === source.vendor);
        if (!adapter) throw new Error(`no adapter for vendor ${source.vendor}`);
        return adapter.create(source, { logger, counter, clock: systemClock });
      });
      const store = openStore(config.store.path);
      try {
        const policy = createSlaPolicy(config.sla, config.sources);
        const cpu = process.cpuUsage();
        const started = performance.now();
        const summary = await runScan({ store, sources, policy, logger, options: config.scan }, new Date(nowMs));
        const scanMs = Math.round(performance.now() - started);
        const used = cpuMs(process.cpuUsage(cpu));
        if (summary.totals.failed > 0) throw new Error(`the bot's scan failed: ${summary.sources[0]?.error?.message}`);
        const moved = [...(await breachedIds(target))].filter((id) => !before.has(id));
        // The job is done when the vendor answered the scan's last write-back (the scan reports it), not when the
        // listing ends; recordedMs adds the bot's own records of it (audit rows, stored status).
        const jobMs = summary.sources[0]?.writeBackAnsweredMs ?? scanMs;
        const recordedMs = summary.sources[0]?.writeBackDoneMs ?? scanMs;
        const writtenBack = summary.totals.writtenBack;
        return {
          wallMs: writeBack ? jobMs : scanMs,
          recordedMs,
          scanMs,
          cpuMs: used,
          requests: counter.total(),
          moved,
          writtenBack,
          truth,
        };
      } finally {
        await Promise.allSettled(sources.map((s) => s.close()));
        store.close();
      }
    });
  } finally {
    rmSync(tempDir, { recursive: true, force: true });
  }
}

const sameIds = (a: readonly number[], b: ReadonlySet<number>) => a.length === b.size && a.every((id) => b.has(id));

async function runOnce(options: SlaJobOptions) {
  const spec = {
    incidents: options.incidents,
    seed: options.seed,
    breachedShare: BREACHED_SHARE,
    anchorMs: Date.now(),
  };
  const minimal = await minimalSide(spec);
  const bot = await botSide(spec, options, true);
  // The same scan with write-back off: what the bot spends on everything but the article's job.
  const scanOnly = await botSide(spec, options, false);
  const side = (s: {
    result: Omit<Side, 'simulatorCpuMs' | 'moved'> & { moved: number[] };
    counts: { cpuMs: number };
  }): Side => ({
    wallMs: s.result.wallMs,
    cpuMs: s.result.cpuMs,
    requests: s.result.requests,
    moved: s.result.moved.length,
    simulatorCpuMs: s.counts.cpuMs,
  });
  const truth = minimal.result.truth;
  return {
    minimal: side(minimal),
    bot: {
      ...side(bot),
      recordedMs: bot.result.recordedMs,
      scanMs: bot.result.scanMs,
      writtenBack: bot.result.writtenBack,
    },
    botScanOnly: side(scanOnly),
    groundTruth: truth.size,
    sameSet: sameIds(minimal.result.moved, truth) && sameIds(bot.result.moved, bot.result.truth),
    ratio: Math.round((bot.result.wallMs / Math.max(1, minimal.result.wallMs)) * 100) / 100,
  };
}

export async function slaJobBenchmark(options: SlaJobOptions): Promise<BenchOutcome> {
  // One small untimed round first: module loading and first-use compilation are per process, not the job's.
  await runOnce({ ...options, incidents: 200 });
  const runs: Awaited<ReturnType<typeof runOnce>>[] = [];
  for (let i = 0; i < options.runs; i += 1) {
    runs.push(await runOnce(options));
    process.stderr.write(`sla-job: run ${i + 1}/${options.runs} done\n`);
  }
  const pick = (f: (r: (typeof runs)[number]) => number) => runs.map(f);
  const spread = (values: number[]) => ({
    median: medianOf(values),
    min: Math.min(...values),
    max: Math.max(...values),
  });
  const ratio = spread(pick((r) => r.ratio));
  const sameSet = runs.every((r) => r.sameSet);
  const report = {
    benchmark: 'sla-job',
    incidents: options.incidents,
    minimalMs: medianOf(pick((r) => r.minimal.wallMs)),
    botMs: medianOf(pick((r) => r.bot.wallMs)),
    ratio: ratio.median,
    sameSet,
    botRecordedMs: medianOf(pick((r) => r.bot.recordedMs)),
    botScanMs: medianOf(pick((r) => r.bot.scanMs)),
    botScanOnlyMs: medianOf(pick((r) => r.botScanOnly.wallMs)),
    targetMet: ratio.median <= SLA_JOB_TARGET_RATIO,
    spread: {
      minimalMs: spread(pick((r) => r.minimal.wallMs)),
      botMs: spread(pick((r) => r.bot.wallMs)),
      ratio,
      minimalCpuMs: spread(pick((r) => r.minimal.cpuMs)),
      botRecordedMs: spread(pick((r) => r.bot.recordedMs)),
      botScanMs: spread(pick((r) => r.bot.scanMs)),
      botScanCpuMs: spread(pick((r) => r.bot.cpuMs)),
      botScanOnlyMs: spread(pick((r) => r.botScanOnly.wallMs)),
      botScanOnlyCpuMs: spread(pick((r) => r.botScanOnly.cpuMs)),
      minimalSimulatorCpuMs: spread(pick((r) => r.minimal.simulatorCpuMs)),
      botSimulatorCpuMs: spread(pick((r) => r.bot.simulatorCpuMs)),
    },
    bot: { pageSize: options.pageSize ?? 'default', assignment: options.assignment ?? 'default' },
    seed: options.seed,
    node: process.version,
    cpus: availableParallelism(),
    runs,
  };
  return { report, exitCode: sameSet ? 0 : 1 };
}

function discard(): Writable {
  return new Writable({
    write(_chunk, _encoding, callback) {
      callback();
    },
  });
}
