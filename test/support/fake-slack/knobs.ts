import { fail, type Reply } from './protocol.js';
import type { FakeFailure } from './types.js';

/** Internal: injected failures and artificial latency, keyed by method (or `'response_url'`). */

export interface Knobs {
  failNext(method: string, failure: FakeFailure, times: number): void;
  /** The next injected failure for `method`, used up as it is returned. */
  takeFailure(method: string): Reply | undefined;
  setLatency(ms: number, method?: string): void;
  latency(method: string): number;
}

function toReply(failure: FakeFailure): Reply {
  if (typeof failure === 'string') return fail(failure);
  const retryAfter: Record<string, string> = failure.status === 429 ? { 'retry-after': '1' } : {};
  return {
    status: failure.status,
    headers: { ...retryAfter, ...failure.headers },
    body: failure.body ?? { ok: false, error: failure.status === 429 ? 'ratelimited' : `http_${failure.status}` },
  };
}

export function createKnobs(defaultLatencyMs: number): Knobs {
  const failures = new Map<string, FakeFailure[]>();
  const latencies = new Map<string, number>();
  let allLatency = defaultLatencyMs;
  return {
    failNext(method, failure, times) {
      const queue = failures.get(method) ?? [];
      for (let i = 0; i < times; i += 1) queue.push(failure);
      failures.set(method, queue);
    },
    takeFailure(method) {
      const next = failures.get(method)?.shift();
      return next === undefined ? undefined : toReply(next);
    },
    setLatency(ms, method) {
      if (method === undefined) allLatency = ms;
      else latencies.set(method, ms);
    },
    latency: (method) => latencies.get(method) ?? allLatency,
  };
}
