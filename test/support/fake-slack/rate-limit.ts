import type { Clock } from '../../../src/ports/index.js';
import type { RateLimitOptions } from './types.js';

/** Internal: per-key token buckets on an injectable clock, as Slack meters chat.postMessage per channel. */

export type Take = { ok: true } | { ok: false; retryAfter: string };

export interface RateLimiter {
  /** Whether `method` is metered at all. */
  applies(method: string): boolean;
  take(method: string, channel: string): Take;
  /** 429s answered for one channel, or in total. */
  hits(channel?: string): number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export function createRateLimiter(options: RateLimitOptions | false | undefined, clock: Clock): RateLimiter {
  const enabled = options !== false;
  const config = options === false ? {} : (options ?? {});
  const rate = config.postsPerSecond ?? 1;
  const burst = config.burst ?? 3;
  const methods = new Set(config.methods ?? ['chat.postMessage']);
  if (!(rate > 0) || !(burst >= 1)) throw new RangeError('fake-slack: postsPerSecond must be > 0 and burst >= 1');
  const buckets = new Map<string, Bucket>();
  const hitsByChannel = new Map<string, number>();

  return {
    applies: (method) => enabled && methods.has(method),
    take(method, channel) {
      const now = clock.now().getTime();
      const key = `${method} ${channel}`;
      const bucket = buckets.get(key) ?? { tokens: burst, at: now };
      bucket.tokens = Math.min(burst, bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * rate);
      bucket.at = now;
      buckets.set(key, bucket);
      if (bucket.tokens >= 1 - 1e-9) {
        bucket.tokens -= 1;
        return { ok: true };
      }
      hitsByChannel.set(channel, (hitsByChannel.get(channel) ?? 0) + 1);
      const wait = Math.max(1, Math.ceil((1 - bucket.tokens) / rate));
      return { ok: false, retryAfter: String(config.retryAfterSeconds ?? wait) };
    },
    hits(channel) {
      if (channel !== undefined) return hitsByChannel.get(channel) ?? 0;
      return [...hitsByChannel.values()].reduce((sum, n) => sum + n, 0);
    },
  };
}
