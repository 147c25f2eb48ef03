/**
 * `npm run bench -- mask`: `maskText` on long hostile snippet text, doubling its size at each step. The text is
 * what a pattern that rescans a run from every position inside it chokes on: a long run of address characters
 * with no "@" after it, a long chain of digits joined by dots, then a run ending in a bare "@". Linear masking
 * keeps the time per character flat; a quadratic one (the ReDoS the EMAIL pattern's lookbehind prevents) blows
 * the budget by orders of magnitude. The speed lives here; test/unit/triage/mask.test.ts checks what the same
 * input masks to.
 */
import { performance } from 'node:perf_hooks';
import { MASK_CHAR, maskText } from '../src/actions/mask.js';
import { medianOf } from './repeat.js';
import { round1 } from './scan-report.js';

export interface MaskOptions {
  /** The smallest input's unit: `4n` letters, `n` dotted digits, `2n` letters before a bare "@". */
  size: number;
  /** Sizes measured: n, 2n, 4n, … */
  steps: number;
  /** Timed runs per size; the median counts. */
  runs: number;
}

export const MASK_DEFAULTS: MaskOptions = { size: 50_000, steps: 4, runs: 5 };

export const MASK_TARGETS = {
  /**
   * Per 100,000 characters, at every size. Linear masking measures 15-30 ms on the shared 2-core machine; a
   * quadratic one (the EMAIL pattern without its lookbehind) already takes ~900 ms for 32,000 characters and
   * ~100 s for the smallest default size. A ratio between sizes is no check: timer and GC noise alone moves it.
   */
  maxMsPer100kChars: 250,
  /** A single masking slower than this ends the run, so a quadratic masker fails in seconds, not hours. */
  giveUpMs: 10_000,
} as const;

/** The unit test's hostile input at `n` = 50,000: 8n + 2 = 400,002 characters. */
const hostileSnippet = (n: number) => `${'a'.repeat(4 * n)} ${'1.'.repeat(n)}${'b'.repeat(2 * n)}@`;

/** What `hostileSnippet(n)` must mask to: only the digit chain changes, keeping its last four digits. */
const maskedHostileSnippet = (n: number) =>
  `${'a'.repeat(4 * n)} ${`${MASK_CHAR}.`.repeat(n - 4)}${'1.'.repeat(4)}${'b'.repeat(2 * n)}@`;

function timeOnce(text: string): { ms: number; masked: string } {
  const started = performance.now();
  const masked = maskText(text);
  return { ms: performance.now() - started, masked };
}

export async function maskBenchmark(options: MaskOptions): Promise<{ report: object; exitCode: number }> {
  // One unmeasured pass, so the first size does not pay for compiling the regexes and the masking code.
  maskText(hostileSnippet(options.size));
  const measured: {
    n: number;
    chars: number;
    runs: number;
    medianMs: number;
    msPer100kChars: number;
    maskedAsExpected: boolean;
  }[] = [];
  let gaveUp = false;
  for (let step = 0; step < options.steps && !gaveUp; step += 1) {
    const n = options.size * 2 ** step;
    const text = hostileSnippet(n);
    const times: number[] = [];
    let maskedAsExpected = true;
    while (times.length < options.runs && !gaveUp) {
      const { ms, masked } = timeOnce(text);
      times.push(ms);
      maskedAsExpected &&= masked === maskedHostileSnippet(n);
      gaveUp = ms > MASK_TARGETS.giveUpMs;
    }
    const ms = medianOf(times);
    process.stderr.write(`mask: ${text.length} characters, median ${round1(ms)} ms over ${times.length} runs\n`);
    const msPer100kChars = round1((ms * 100_000) / text.length);
    measured.push({
      n,
      chars: text.length,
      runs: times.length,
      medianMs: round1(ms),
      msPer100kChars,
      maskedAsExpected,
    });
  }
  const checks = {
    maskedAsExpected: measured.every((m) => m.maskedAsExpected),
    withinBudget: !gaveUp && measured.every((m) => m.msPer100kChars < MASK_TARGETS.maxMsPer100kChars),
  };
  const report = {
    benchmark: 'mask',
    runsPerSize: options.runs,
    sizes: measured,
    gaveUp,
    targets: MASK_TARGETS,
    checks,
    node: process.version,
  };
  return { report, exitCode: Object.values(checks).every(Boolean) ? 0 : 1 };
}
