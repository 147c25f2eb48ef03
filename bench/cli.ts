/**
 * `npm run bench -- cli`: how long `dlp-bot` takes to answer a person at a terminal, each run a fresh process:
 * `--help`, and `aging` and `show <ref>` on a sandbox store, beside `node -e 0` (the floor no command can beat).
 * With `--baseline BIN` a second build (e.g. an untouched main) is timed in the same interleaved rounds, so a
 * busy shared machine slows both alike.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { medianOf } from './repeat.js';
import { type BenchOutcome, round1 } from './scan-report.js';

export interface CliBenchOptions {
  runs: number;
  /** The `dlp-bot` executable to time: this checkout's bin/dlp-bot.js unless told. */
  bin?: string;
  baseline?: string;
}

export const CLI_DEFAULTS = { runs: 5 } as const;

/** Wall time on the shared 2-core machine: help reads no store, `aging` and `show` open the sandbox's. */
export const CLI_TARGETS = { helpWallMs: 300, storeWallMs: 500 } as const;

const PROBE = pathToFileURL(fileURLToPath(new URL('./cli-probe.js', import.meta.url))).href;
const THIS_BIN = fileURLToPath(new URL('../../bin/dlp-bot.js', import.meta.url));

interface Sample {
  code: number | null;
  wallMs: number;
  cpuMs: number;
  peakRssMb: number;
  stderr: string;
}

interface Timed {
  name: string;
  command: string;
  argv: string[];
  cwd: string;
  targetWallMs?: number;
  samples: Sample[];
}

/** Slack, Teams or another config would change what the commands do: the children run the plain sandbox. */
function sandboxEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/^(SLACK|TEAMS|MICROSOFT_APP)_|^DLP_BOT_CONFIG$/.test(name)) delete env[name];
  }
  return env;
}

function timeOnce(argv: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Sample> {
  return new Promise((done, fail) => {
    const started = process.hrtime.bigint();
    let wallMs = Number.NaN;
    const child = spawn(process.execPath, ['--import', PROBE, ...argv], {
      cwd,
      env,
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    let usage = '';
    let stderr = '';
    child.stdio[3]?.on('data', (chunk: Buffer) => {
      usage += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('error', fail);
    child.once('exit', () => {
      wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    });
    child.once('close', (code) => {
      const reported = usage ? (JSON.parse(usage) as { userUs: number; systemUs: number; maxRssKb: number }) : null;
      done({
        code,
        wallMs: round1(wallMs),
        cpuMs: reported ? round1((reported.userUs + reported.systemUs) / 1000) : Number.NaN,
        peakRssMb: reported ? round1(reported.maxRssKb / 1024) : Number.NaN,
        stderr,
      });
    });
  });
}

/** A fresh folder with a scanned sandbox store, and the reference of one incident in it for `show`. */
function prepareSandbox(bin: string, env: NodeJS.ProcessEnv): { cwd: string; ref: string } {
  const cwd = mkdtempSync(join(tmpdir(), 'dlp-bench-cli-'));
  const run = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd, env, encoding: 'utf8' });
  const scan = run(['scan', '--json']);
  if (scan.status !== 0) throw new Error(`${bin} scan --json exited ${scan.status}: ${scan.stderr}`);
  const aging = run(['aging', '--json']);
  const first = aging.status === 0 ? (JSON.parse(aging.stdout) as { source: string; id: string }[])[0] : undefined;
  if (!first) throw new Error(`${bin} aging --json listed no incident after a sandbox scan: ${aging.stderr}`);
  return { cwd, ref: `${first.source}:${first.id}` };
}

function commandsOf(bin: string, sandbox: { cwd: string; ref: string }): Timed[] {
  const timed = (name: string, args: string[], targetWallMs: number): Timed => ({
    name,
    command: `dlp-bot ${args.join(' ')}`,
    argv: [bin, ...args],
    cwd: sandbox.cwd,
    targetWallMs,
    samples: [],
  });
  return [
    timed('help', ['--help'], CLI_TARGETS.helpWallMs),
    timed('aging', ['aging'], CLI_TARGETS.storeWallMs),
    timed('show', ['show', sandbox.ref], CLI_TARGETS.storeWallMs),
  ];
}

const stats = (values: number[]) => ({ median: medianOf(values), min: Math.min(...values), max: Math.max(...values) });
const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;

function summary(timed: Timed, floor: { wallMs: number; cpuMs: number } | null) {
  const wallMs = stats(timed.samples.map((s) => s.wallMs));
  const cpuMs = stats(timed.samples.map((s) => s.cpuMs));
  return {
    command: timed.command,
    wallMs,
    cpuMs,
    peakRssMb: stats(timed.samples.map((s) => s.peakRssMb)),
    ...(floor ? { vsFloor: { wall: ratio(wallMs.median, floor.wallMs), cpu: ratio(cpuMs.median, floor.cpuMs) } } : {}),
    ...(timed.targetWallMs ? { targetWallMs: timed.targetWallMs, targetMet: wallMs.median < timed.targetWallMs } : {}),
    failedRuns: timed.samples.filter((s) => s.code !== 0).length,
  };
}

/** One unmeasured round, so each run reads its files from the page cache as a person's second command does. */
async function measure(all: Timed[], runs: number, env: NodeJS.ProcessEnv): Promise<void> {
  for (const t of all) await timeOnce(t.argv, t.cwd, env);
  for (let round = 1; round <= runs; round += 1) {
    for (const t of all) t.samples.push(await timeOnce(t.argv, t.cwd, env));
    process.stderr.write(`cli: round ${round}/${runs} done\n`);
  }
}

/** How many times faster the current build answers than the baseline, command by command (medians). */
function speedupOf(current: Timed[], baseline: Timed[]) {
  return Object.fromEntries(
    current.map((t, i) => {
      const now = summary(t, null);
      const before = summary(baseline[i] as Timed, null);
      const wall = ratio(before.wallMs.median, now.wallMs.median);
      return [t.name, { wall, cpu: ratio(before.cpuMs.median, now.cpuMs.median) }];
    }),
  );
}

export async function cliBenchmark(options: CliBenchOptions): Promise<BenchOutcome> {
  const env = sandboxEnv();
  const loadBefore = loadavg();
  const builds = [{ label: 'current', bin: resolve(options.bin ?? THIS_BIN) }];
  if (options.baseline) builds.push({ label: 'baseline', bin: resolve(options.baseline) });
  const prepared = builds.map((b) => ({ ...b, sandbox: prepareSandbox(b.bin, env) }));
  try {
    const floor: Timed = { name: 'floor', command: 'node -e 0', argv: ['-e', '0'], cwd: tmpdir(), samples: [] };
    const perBuild = prepared.map((b) => ({ ...b, timed: commandsOf(b.bin, b.sandbox) }));
    const all = [floor, ...perBuild.flatMap((b) => b.timed)];
    await measure(all, options.runs, env);
    const floorSummary = summary(floor, null);
    const floorMedians = { wallMs: floorSummary.wallMs.median, cpuMs: floorSummary.cpuMs.median };
    const results = perBuild.map((b) => [
      b.label,
      {
        bin: b.bin,
        ref: b.sandbox.ref,
        commands: Object.fromEntries(b.timed.map((t) => [t.name, summary(t, floorMedians)])),
      },
    ]);
    const failures = all.flatMap((t) =>
      t.samples.filter((s) => s.code !== 0).map((s) => `${t.command}: exit ${s.code} ${s.stderr.trim()}`),
    );
    for (const failure of failures) process.stderr.write(`cli: ${failure}\n`);
    const [current, baseline] = perBuild.map((b) => b.timed);
    return {
      report: {
        benchmark: 'cli',
        statistic: `median of ${options.runs} runs, each a fresh process, the commands interleaved round by round; spread is min and max`,
        runs: options.runs,
        node: process.version,
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? 'unknown',
        loadAverage1m: { before: round1(loadBefore[0] ?? 0), after: round1(loadavg()[0] ?? 0) },
        floor: floorSummary,
        ...Object.fromEntries(results),
        ...(current && baseline ? { speedup: speedupOf(current, baseline) } : {}),
        targetsMet: (current ?? []).every((t) => summary(t, null).targetMet !== false),
        allChecksPassed: failures.length === 0,
      },
      exitCode: failures.length === 0 ? 0 : 1,
    };
  } finally {
    for (const b of prepared) rmSync(b.sandbox.cwd, { recursive: true, force: true });
  }
}
