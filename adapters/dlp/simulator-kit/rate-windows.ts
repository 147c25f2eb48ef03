import type { Clock } from '../../../src/ports/index.js';

/** A vendor's published limit for one endpoint class. */
export interface PublishedLimit {
  perMinute?: number;
  perHour?: number;
}

export type Admission = { ok: true } | { ok: false; retryAfterSec: number; limit: number; span: 'minute' | 'hour' };

export interface RateWindows {
  /** Counts the request if it fits every window; otherwise says how long until it would. */
  admit(): Admission;
}

/**
 * Sliding windows on the simulator's clock, as a gateway enforcing a published limit would: a request over
 * any window is refused and not counted. The answer's Retry-After is when the oldest counted request leaves.
 */
export function createRateWindows(limit: PublishedLimit, clock: Clock): RateWindows {
  const windows = [
    ...(limit.perMinute
      ? [{ limit: limit.perMinute, spanMs: 60_000, span: 'minute' as const, at: [] as number[] }]
      : []),
    ...(limit.perHour ? [{ limit: limit.perHour, spanMs: 3_600_000, span: 'hour' as const, at: [] as number[] }] : []),
  ];
  for (const w of windows) {
    if (!(Number.isInteger(w.limit) && w.limit > 0)) throw new RangeError('published limits must be positive integers');
  }
  return {
    admit() {
      const now = clock.now().getTime();
      let refusal: Admission | null = null;
      for (const w of windows) {
        while (w.at.length > 0 && (w.at[0] as number) <= now - w.spanMs) w.at.shift();
        const oldest = w.at[0];
        if (w.at.length >= w.limit && oldest !== undefined) {
          const retryAfterSec = Math.max(1, Math.ceil((oldest + w.spanMs - now) / 1000));
          if (!refusal || (!refusal.ok && retryAfterSec > refusal.retryAfterSec)) {
            refusal = { ok: false, retryAfterSec, limit: w.limit, span: w.span };
          }
        }
      }
      if (refusal) return refusal;
      for (const w of windows) w.at.push(now);
      return { ok: true };
    },
  };
}
