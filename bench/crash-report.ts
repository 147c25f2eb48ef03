/** The `crash` benchmark's options, per-trial report, and the summary with its targets. */
import { availableParallelism } from 'node:os';
import type { BenchOutcome } from './scan-report.js';

export interface CrashBenchOptions {
  trials: number;
  /** Whether the fake Slack grants the optional channels:history / groups:history scopes. */
  history: boolean;
  /** Incidents in the Palo Alto simulator's dataset (about a third become cards). */
  incidents: number;
  seed: number;
  /** Real-time delay the fake Slack adds to every Web API call. */
  latencyMs: number;
}

export const CRASH_DEFAULTS = { trials: 20, incidents: 60, seed: 7, latencyMs: 40 } as const;

/** Where the kill landed, as the bot's output and the fake Slack saw it. */
export type KillPhase = 'before_first_post' | 'while_posting' | 'after_first_run';

export interface TrialReport {
  trial: number;
  /** `post`: as the nth chat.postMessage reached Slack (in flight); `time`: this many ms after the start. */
  kill: { kind: 'post'; nth: number } | { kind: 'time'; ms: number };
  phase: KillPhase;
  /** Cards the store says belong in the channel (one per incident announced as due soon, breached or escalated). */
  expected: number;
  /** Incidents without a card in the channel, or whose recorded card is not there. */
  lost: number;
  /** Incidents with more than one card. */
  duplicated: number;
  /** Of those, the ones whose later copy carries the "sent again" note in its thread. */
  announced: number;
  /** Claims in the store right after the kill: cards whose send may have reached Slack unrecorded. */
  inDoubt: number;
  /** Of those, the ones the restart adopted (the card Slack made before the kill became the recorded one). */
  reconciled: number;
  /** 429s the fake Slack answered during the trial. */
  rateLimited: number;
  /** After the restart: nothing pending, nothing dead, no claim left. */
  settled: boolean;
}

export function summarise(options: CrashBenchOptions, trials: TrialReport[], wallMs: number): BenchOutcome {
  const sum = (pick: (t: TrialReport) => number) => trials.reduce((n, t) => n + pick(t), 0);
  const count = (phase: KillPhase) => trials.filter((t) => t.phase === phase).length;
  const lost = sum((t) => t.lost);
  const duplicated = sum((t) => t.duplicated);
  const announced = sum((t) => t.announced);
  const inDoubt = sum((t) => t.inDoubt);
  const checks = {
    noneLost: lost === 0,
    ...(options.history ? { noneDuplicated: duplicated === 0 } : { everyDuplicateAnnounced: announced === duplicated }),
    everyTrialSettled: trials.every((t) => t.settled),
    // A run where no kill caught a send in flight proves nothing about doubt.
    someKillCaughtASendInFlight: inDoubt > 0,
  };
  const targetsMet = Object.values(checks).every(Boolean);
  return {
    exitCode: targetsMet ? 0 : 1,
    report: {
      benchmark: 'crash',
      historyScopes: options.history,
      trials: trials.length,
      lost,
      duplicated,
      announced,
      unannounced: duplicated - announced,
      inDoubt,
      reconciled: sum((t) => t.reconciled),
      kills: {
        beforeFirstPost: count('before_first_post'),
        whilePosting: count('while_posting'),
        afterFirstRun: count('after_first_run'),
        withSendInDoubt: trials.filter((t) => t.inDoubt > 0).length,
      },
      expectedCardsPerTrial: trials[0]?.expected ?? 0,
      rateLimited429: sum((t) => t.rateLimited),
      fakeSlackLatencyMs: options.latencyMs,
      incidents: options.incidents,
      seed: options.seed,
      wallMs,
      checks,
      targetsMet,
      failedTrials: trials.filter(
        (t) => t.lost > 0 || !t.settled || t.duplicated > t.announced || (options.history && t.duplicated > 0),
      ),
      node: process.version,
      cpus: availableParallelism(),
    },
  };
}
