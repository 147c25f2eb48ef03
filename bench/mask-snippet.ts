/**
 * The snippet part of `bench mask`: one huge snippet, as a vendor's reply hands it over, through `snippetsView`
 * (what the snippets action builds once `source.snippets` has answered). Issue 13, finding 5: the whole snippet was
 * masked before it was cut, so 10 MB blocked the bot for 12-27 s at ~1.9 GB. Now only the display budget and a
 * margin are read, whatever the size.
 */
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { snippetsView } from '../src/actions/snippets.js';
import { medianOf } from './repeat.js';
import { round1 } from './scan-report.js';

export const SNIPPET_TARGETS = { maxWallMs: 50, maxExtraMb: 20 } as const;

const MB = 1024 * 1024;
/** Evidence as a DLP export holds it: names, a card, an SSN, an address, a key, all of it repeated. */
const UNIT = 'row 17: Ana Lopez, 4111 1111 1111 1111, 987-65-4321, ana.lopez@corp.example, AKIAIOSFODNN7EXAMPLE; ';

/**
 * `megabytes` of snippet text as one flat string, like the one `JSON.parse` makes of a vendor's reply (a string
 * built by `repeat` may be a rope that the first slice would flatten, timing the copy instead of the masking).
 */
function hugeSnippet(megabytes: number): string {
  return Buffer.alloc(megabytes * MB, UNIT).toString('latin1');
}

/** `gc()` from inside the process, so each run starts from the same heap; node's `--expose-gc` flag, set late. */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

interface SnippetRun {
  wallMs: number;
  cpuMs: number;
  /** Heap grown during the call; exact when no collection ran in it (`gcDuring` 0), a lower bound otherwise. */
  extraHeapMb: number;
  extraRssMb: number;
  gcDuring: number;
  maskedAsExpected: boolean;
}

async function runOnce(text: string, gc: () => void): Promise<SnippetRun> {
  const collections: number[] = [];
  const observer = new PerformanceObserver((list) => collections.push(...list.getEntries().map((e) => e.startTime)));
  observer.observe({ entryTypes: ['gc'] });
  gc();
  await new Promise((resolve) => setImmediate(resolve));
  const before = process.memoryUsage();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const view = snippetsView('bench:1', [{ label: 'PCI export', text }], 'Bench DLP');
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const after = process.memoryUsage();
  // GC entries arrive after the call returns; those that started inside it are what matters.
  await new Promise((resolve) => setImmediate(resolve));
  observer.disconnect();
  const fields = view.blocks.flatMap((b) => (b.type === 'fields' ? b.fields : []));
  const value = fields[0]?.value ?? '';
  return {
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    extraHeapMb: Math.max(0, after.heapUsed - before.heapUsed) / MB,
    extraRssMb: Math.max(0, after.rss - before.rss) / MB,
    gcDuring: collections.filter((at) => at >= started && at <= started + wallMs).length,
    // At most the budget, and no card, SSN or address readable in it.
    maskedAsExpected:
      Array.from(value).length <= 500 && value.includes('AKIA••••') && !/\d{4} \d|987-65|ana\./.test(value),
  };
}

const spread = (values: readonly number[]) => ({
  min: round1(Math.min(...values)),
  max: round1(Math.max(...values)),
});

export async function snippetBenchmark(megabytes: number, runs: number) {
  const text = hugeSnippet(megabytes);
  const gc = collector();
  await runOnce(text, gc); // unmeasured: compiles the regexes and the masking code
  const each: SnippetRun[] = [];
  for (let run = 0; run < runs; run += 1) each.push(await runOnce(text, gc));
  const pick = (key: 'wallMs' | 'cpuMs' | 'extraHeapMb' | 'extraRssMb') => each.map((r) => r[key]);
  const extraMb = each.map((r) => Math.max(r.extraHeapMb, r.extraRssMb));
  const result = {
    snippetMb: megabytes,
    chars: text.length,
    runs,
    statistic: `median of ${runs} runs in this process, gc() before each; spread is min and max`,
    wallMs: round1(medianOf(pick('wallMs'))),
    cpuMs: round1(medianOf(pick('cpuMs'))),
    extraHeapMb: round1(medianOf(pick('extraHeapMb'))),
    extraRssMb: round1(medianOf(pick('extraRssMb'))),
    spread: { wallMs: spread(pick('wallMs')), cpuMs: spread(pick('cpuMs')), extraMb: spread(extraMb) },
    gcDuringRuns: each.reduce((n, r) => n + r.gcDuring, 0),
  };
  const checks = {
    snippetMaskedAsExpected: each.every((r) => r.maskedAsExpected),
    snippetWithinWall: result.wallMs < SNIPPET_TARGETS.maxWallMs,
    snippetWithinMemory: Math.max(...extraMb) < SNIPPET_TARGETS.maxExtraMb,
  };
  process.stderr.write(
    `mask: ${megabytes} MB snippet, median ${result.wallMs} ms wall, ${result.cpuMs} ms CPU, ` +
      `${round1(medianOf(extraMb))} MB extra over ${runs} runs\n`,
  );
  return { result, checks };
}
