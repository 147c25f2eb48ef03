import { type AdapterError, adapterError } from '../domain/errors.js';
import type { AttemptFailure } from './status-table.js';

export const BACKOFF_BASE_MS = 250;
export const BACKOFF_CAP_MS = 8_000;
/** A longer wait would block a scan or a click; the caller is better placed to decide what to do. */
export const MAX_RETRY_AFTER_MS = 60_000;

/** Retry-After as delta-seconds or an HTTP-date; `undefined` when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, nowMs: number): number | undefined {
  const raw = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!raw) return undefined;
  // Decimals are not in the RFC, but some vendors send them; Date.parse would misread them as dates.
  if (/^\d+(\.\d+)?$/.test(raw)) return Math.ceil(Number(raw) * 1000);
  if (!/[a-z]/i.test(raw)) return undefined;
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** Exponential backoff with full jitter: uniform in [0, min(cap, base * 2^retryIndex)). */
export function backoffDelay(retryIndex: number, random: () => number): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** retryIndex);
  return Math.floor(random() * ceiling);
}

export type RetryDecision = { retry: true; waitMs: number } | { retry: false; error: AdapterError };

export interface RetryContext {
  idempotent: boolean;
  /** Retries already made for this request (the 401 refresh does not count). */
  retriesSoFar: number;
  maxRetries: number;
  random: () => number;
  /** The longest `Retry-After` worth waiting for (default `MAX_RETRY_AFTER_MS`). */
  maxRetryAfterMs?: number | undefined;
}

function mayRepeat(failure: AttemptFailure, idempotent: boolean): boolean {
  switch (failure.transience) {
    case 'rate_limited':
    case 'not_sent':
      return true;
    case 'transient':
      return idempotent;
    default:
      return false;
  }
}

export function decideRetry(failure: AttemptFailure, ctx: RetryContext): RetryDecision {
  if (!mayRepeat(failure, ctx.idempotent)) return { retry: false, error: failure.error };
  if (ctx.retriesSoFar >= ctx.maxRetries) {
    const { code, message, ...extra } = failure.error;
    const attempts = ctx.retriesSoFar + 1;
    const suffix = attempts > 1 ? ` (gave up after ${attempts} attempts)` : '';
    return { retry: false, error: adapterError(code, `${message}${suffix}`, extra) };
  }
  const waitMs = failure.error.retryAfterMs ?? backoffDelay(ctx.retriesSoFar, ctx.random);
  if (waitMs > (ctx.maxRetryAfterMs ?? MAX_RETRY_AFTER_MS)) return { retry: false, error: failure.error };
  return { retry: true, waitMs };
}
