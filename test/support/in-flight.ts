import { expect, vi } from 'vitest';

export interface InFlight<T> {
  /** Whether the call has answered (or failed) yet. */
  settled(): boolean;
  /** The call's outcome; await it before the test ends. */
  result: Promise<T>;
  /** How long the call took, once settled (a lower bound on it is safe to assert, an upper bound is not). */
  elapsedMs(): number;
}

/**
 * Starts a call and lets the test ask whether it is still in flight. A simulator latency knob is then tested by
 * order (the delayed call is still waiting when an undelayed one has answered), not by how long the machine took.
 */
export function inFlight<T>(call: () => Promise<T>): InFlight<T> {
  const started = performance.now();
  let ended: number | undefined;
  const result = call().finally(() => {
    ended = performance.now();
  });
  return { result, settled: () => ended !== undefined, elapsedMs: () => (ended ?? performance.now()) - started };
}

/** Waits until a simulator has logged `count` requests to `route` (so they have passed its gateway's latency read). */
export async function untilLogged(requests: () => { byRoute: Record<string, number> }, route: string, count = 1) {
  // Generous: this only waits for loopback delivery; the test's own timeout is the real limit.
  await vi.waitFor(() => expect(requests().byRoute[route] ?? 0).toBeGreaterThanOrEqual(count), { timeout: 15_000 });
}
