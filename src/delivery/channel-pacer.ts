import type { Logger } from '../log.js';
import type { ChatResult } from '../ports/index.js';

/** Time as the send queue sees it: monotonic milliseconds and a way to wait. Tests inject a virtual one. */
export interface Timer {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realTimer: Timer = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Messages per second per channel, with a short burst allowed on top (a token bucket). */
export interface SendRate {
  perSecond: number;
  burst: number;
}

/** Slack's chat.postMessage special tier: about one message per second per channel, short bursts tolerated. */
export const DEFAULT_SEND_RATE: SendRate = { perSecond: 1, burst: 3 };

export type ChatError = Extract<ChatResult<never>, { ok: false }>['error'];

export interface PacerOptions {
  surface: string;
  channel: string;
  rate: SendRate | 'unlimited';
  timer: Timer;
  logger: Logger;
  /** A pause longer than this is not waited out: the call goes back to the caller (and the outbox). */
  maxPauseMs: number;
  /** Consecutive 429s for one call before it goes back to the caller. */
  maxRetries: number;
  onRateLimited(): void;
}

export interface ChannelPacer {
  /**
   * Makes one platform call for this channel: waits out a pause, takes a post slot when `spendsPost`, and
   * after a 429 pauses the channel for Retry-After and calls again. Anything else comes back as it is.
   */
  call<T>(spendsPost: boolean, send: () => Promise<ChatResult<T>>): Promise<ChatResult<T>>;
}

/** 429s without a usable Retry-After (Slack's own client treats the header as whole seconds). */
const DEFAULT_RETRY_AFTER_MS = 1_000;

/** Pacing and 429 pauses for one channel. Calls through one pacer must not overlap (one worker per channel). */
export function createChannelPacer(options: PacerOptions): ChannelPacer {
  const { rate, timer } = options;
  let tokens = rate === 'unlimited' ? 0 : rate.burst;
  let refilledAt = timer.now();
  let pausedUntil = 0;
  let pauseError: ChatError | null = null;

  /** Waits out a pause that ends soon; hands back one that does not, without calling the platform. */
  const awaitPause = async (): Promise<ChatError | null> => {
    const remaining = pausedUntil - timer.now();
    if (remaining <= 0) return null;
    if (remaining > options.maxPauseMs && pauseError) return { ...pauseError, retryAfterMs: Math.ceil(remaining) };
    await timer.sleep(remaining);
    return null;
  };

  const takeSlot = async (): Promise<void> => {
    if (rate === 'unlimited') return;
    for (;;) {
      const now = timer.now();
      tokens = Math.min(rate.burst, tokens + ((now - refilledAt) * rate.perSecond) / 1_000);
      refilledAt = now;
      if (tokens >= 1) break;
      await timer.sleep(Math.ceil(((1 - tokens) * 1_000) / rate.perSecond));
    }
    tokens -= 1;
  };

  const pause = (error: ChatError, pauseMs: number): void => {
    options.onRateLimited();
    pausedUntil = timer.now() + pauseMs;
    pauseError = error;
    // The platform's budget is spent: resume with one message, then the steady pace, never a fresh burst.
    tokens = 0;
    if (rate !== 'unlimited') refilledAt = pausedUntil - 1_000 / rate.perSecond;
    // One line per pause, however many messages wait behind it.
    options.logger.warn(
      { surface: options.surface, channel: options.channel, retryAfterMs: pauseMs },
      pauseMs <= options.maxPauseMs
        ? 'chat rate limit: pausing this channel'
        : 'chat rate limit: pausing this channel; its queue goes back to the outbox',
    );
  };

  return {
    async call<T>(spendsPost: boolean, send: () => Promise<ChatResult<T>>): Promise<ChatResult<T>> {
      for (let retries = 0; ; retries += 1) {
        const paused = await awaitPause();
        if (paused) return { ok: false, error: paused };
        if (spendsPost) await takeSlot();
        const result = await settle(send);
        if (result.ok || result.error.code !== 'rate_limited') return result;
        const retryAfterMs = result.error.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS;
        pause(result.error, retryAfterMs);
        if (retries >= options.maxRetries || retryAfterMs > options.maxPauseMs) {
          return { ok: false, error: { ...result.error, retryAfterMs } };
        }
      }
    },
  };
}

/** A surface that throws (a bug in an adapter) fails that one message, never the whole queue. */
async function settle<T>(send: () => Promise<ChatResult<T>>): Promise<ChatResult<T>> {
  try {
    return await send();
  } catch (error) {
    return { ok: false, error: { code: 'unknown', message: error instanceof Error ? error.message : String(error) } };
  }
}
