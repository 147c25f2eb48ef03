import { setTimeout as delay } from 'node:timers/promises';

export interface Pacer {
  /** Resolves, with the milliseconds it waited, when a request may be sent; callers are served in arrival order. */
  acquire(): Promise<number>;
}

/** One rate limit as a vendor publishes it: requests per minute and/or per hour. */
export interface PaceLimits {
  perMinute?: number | undefined;
  perHour?: number | undefined;
  /**
   * Extra time each send stays in its windows (default 0). The vendor counts a request when it arrives, a little
   * after we sent it; when the network delay varies, a small margin keeps our window from running ahead of theirs.
   */
  marginMs?: number | undefined;
}

export interface PacerOptions extends PaceLimits {
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

interface Window {
  limit: number;
  spanMs: number;
  /** Send times still inside the window, oldest first; never longer than `limit`. */
  sent: number[];
}

/**
 * A sliding-log limiter: at most `limit` sends in any `spanMs`. Unlike a token bucket refilling at limit/span,
 * it never lets limit + 1 requests into one window, so it also stays under vendors that count fixed or sliding
 * windows. The burst is the per-minute limit (or the hourly one when that is all we know).
 */
export function createPacer(options: PacerOptions): Pacer {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  const margin = options.marginMs ?? 0;
  if (!(Number.isInteger(margin) && margin >= 0)) throw new RangeError('pacer marginMs must be a non-negative integer');
  const windows: Window[] = [];
  if (options.perMinute !== undefined) windows.push({ limit: options.perMinute, spanMs: 60_000 + margin, sent: [] });
  if (options.perHour !== undefined) windows.push({ limit: options.perHour, spanMs: 3_600_000 + margin, sent: [] });
  for (const w of windows) {
    if (!Number.isInteger(w.limit) || w.limit < 1) throw new RangeError('pacer limits must be positive integers');
  }

  function waitNeeded(at: number): number {
    let wait = 0;
    for (const w of windows) {
      while (w.sent.length > 0 && (w.sent[0] as number) + w.spanMs <= at) w.sent.shift();
      const oldest = w.sent[0];
      if (w.sent.length >= w.limit && oldest !== undefined) wait = Math.max(wait, oldest + w.spanMs - at);
    }
    return wait;
  }

  async function take(): Promise<number> {
    const asked = now();
    for (let wait = waitNeeded(now()); wait > 0; wait = waitNeeded(now())) await sleep(wait);
    const at = now();
    for (const w of windows) w.sent.push(at);
    return at - asked;
  }

  // One chain keeps waiters in order and stops two of them from claiming the same freed slot.
  let tail: Promise<unknown> = Promise.resolve();
  return {
    acquire() {
      const turn = tail.then(take);
      tail = turn.catch(() => undefined);
      return turn;
    },
  };
}
