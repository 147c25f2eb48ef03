import { setTimeout as sleep } from 'node:timers/promises';
import { type Clock, type SimulatorHandle, type SimulatorStartOptions, systemClock } from '../../../src/ports/index.js';
import { createRng } from './prng.js';

export interface FaultOptions {
  /** Added to every faultable request, in real milliseconds. */
  latencyMs?: number;
  /** Share of requests (0..1) answered with 500. */
  errorRate?: number;
  /** Every Nth request is answered with 429. */
  rateLimit429Every?: number;
  /** Share of requests (0..1) answered with 429. */
  rateLimitShare?: number;
  /** `Retry-After` seconds on the 429s above (default 1). */
  retryAfterSec?: number;
  /** A real sliding-window limit on the simulator clock: request N+1 inside any 60 s gets 429. */
  limitPerMinute?: number;
  /** Seeds the random shares so a failing run can be replayed (default 1). */
  seed?: number;
}

export interface Fault {
  status: 429 | 500;
  headers: Record<string, string>;
  error: string;
  message: string;
}

export interface FaultInjector {
  /** Waits out the configured latency, then says whether this request should fail instead. */
  next(): Promise<Fault | null>;
  /** Human-readable knob summary; empty when no fault is configured. */
  describe(): string[];
}

const WINDOW_MS = 60_000;

export function createFaultInjector(options: FaultOptions = {}, clock: Clock = systemClock): FaultInjector {
  validateFaultOptions(options);
  const rng = createRng(options.seed ?? 1);
  const retryAfter = String(options.retryAfterSec ?? 1);
  let count = 0;
  // Accepted request times inside the current window; rejected ones don't count, as with real gateways.
  let window: number[] = [];

  const rateLimited = (seconds: string, message: string): Fault => ({
    status: 429,
    headers: { 'retry-after': seconds },
    error: 'rate_limited',
    message,
  });

  return {
    async next() {
      if (options.latencyMs) await sleep(options.latencyMs);
      count += 1;
      if (options.limitPerMinute !== undefined) {
        const now = clock.now().getTime();
        window = window.filter((at) => at > now - WINDOW_MS);
        const oldest = window[0];
        if (window.length >= options.limitPerMinute && oldest !== undefined) {
          const seconds = Math.max(1, Math.ceil((oldest + WINDOW_MS - now) / 1000));
          return rateLimited(String(seconds), `limit of ${options.limitPerMinute} requests per minute exceeded`);
        }
        window.push(now);
      }
      if (options.rateLimit429Every && count % options.rateLimit429Every === 0) {
        return rateLimited(retryAfter, 'too many requests');
      }
      if (options.rateLimitShare && rng.chance(options.rateLimitShare))
        return rateLimited(retryAfter, 'too many requests');
      if (options.errorRate && rng.chance(options.errorRate)) {
        return { status: 500, headers: {}, error: 'internal_error', message: 'injected server error' };
      }
      return null;
    },
    describe() {
      const on = Object.entries(options).filter(([key, value]) => key !== 'seed' && value !== undefined && value !== 0);
      return on.length ? [`faults: ${on.map(([key, value]) => `${key}=${value}`).join(', ')}`] : [];
    },
  };
}

function validateFaultOptions(options: FaultOptions): void {
  for (const key of ['errorRate', 'rateLimitShare'] as const) {
    const value = options[key];
    if (value !== undefined && !(value >= 0 && value <= 1)) throw new RangeError(`faults.${key} must be within 0..1`);
  }
  for (const key of ['latencyMs', 'rateLimit429Every', 'retryAfterSec', 'limitPerMinute'] as const) {
    const value = options[key];
    if (value !== undefined && !(Number.isInteger(value) && value >= 0)) {
      throw new RangeError(`faults.${key} must be a non-negative integer`);
    }
  }
  if (options.limitPerMinute === 0)
    throw new RangeError('faults.limitPerMinute must be at least 1 (omit it for no limit)');
}

export type StartSimulator = (options: SimulatorStartOptions) => Promise<SimulatorHandle>;
/** A knob the vendor's simulator cannot turn; the reason shows up in the test report as a todo. */
export type NoKnob = { noKnob: string };

/**
 * Simulators that misbehave on demand, for the generic contract test (test/contract/adapters.test.ts);
 * `startSimulator` (the sandbox's) has no such knobs. Each vendor's `adapters/dlp/<vendor>/fault-kit.ts` exports one
 * as `faultKit`, and only that test loads it.
 */
export interface FaultKit {
  /** Every API request is answered 429 with `Retry-After: 3` (seconds). */
  rateLimited: StartSimulator | NoKnob;
  /** Every API request is answered 500. */
  serverError: StartSimulator | NoKnob;
  /** Its listing serves the `HOSTILE_IDS` (simulator-kit/hostile.ts) as the ids of open incidents. */
  hostileIds: StartSimulator | NoKnob;
  /** A read of one incident by its id answers with another incident. */
  getAnswersAnother: StartSimulator | NoKnob;
  /** Writes (notes, false positives) are applied, then answered with a body that fails the API's schema. */
  unreadableWriteAnswers: StartSimulator | NoKnob;
  /**
   * Credentials the config accepts but the vendor refuses, from the simulator's env. Default: each value with
   * `-wrong` appended; a vendor whose config checks a credential's form (a PEM key) needs a well-formed wrong one.
   */
  wrongCredentials?: (env: Record<string, string>) => Record<string, string>;
}
