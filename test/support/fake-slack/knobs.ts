import { fail, type Reply } from './protocol.js';
import type { FakeFailure, FakeFault } from './types.js';

/** Internal: injected failures and artificial latency, keyed by method (or `'response_url'`). */

export interface Knobs {
  /** With `channel`, only calls on that channel (after resolving a user id to its DM) take the failure. */
  failNext(method: string, failure: FakeFailure, times: number, channel?: string): void;
  /** The next injected failure for `method` (on `channel`), used up as it is returned. */
  takeFailure(method: string, channel?: string): Reply | undefined;
  setLatency(ms: number, method?: string): void;
  latency(method: string): number;
  hold(method: string): void;
  release(method: string): void;
  /** Settles at once unless `method` is held; then when it is released. */
  released(method: string): Promise<void>;
  faultNext(method: string, fault: FakeFault, times: number, channel?: string): void;
  /** The next fault for `method` (on `channel`), used up as it is returned. */
  takeFault(method: string, channel?: string): FakeFault | undefined;
}

/** Per-method FIFOs of planned items, each optionally for one channel only. */
function plannedQueue<T>() {
  const planned = new Map<string, { item: T; channel: string | undefined }[]>();
  return {
    add(method: string, item: T, times: number, channel?: string) {
      const queue = planned.get(method) ?? [];
      for (let i = 0; i < times; i += 1) queue.push({ item, channel });
      planned.set(method, queue);
    },
    take(method: string, channel?: string): T | undefined {
      const queue = planned.get(method) ?? [];
      const index = queue.findIndex((f) => f.channel === undefined || f.channel === channel);
      if (index < 0) return undefined;
      return queue.splice(index, 1)[0]?.item;
    },
  };
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

export function createKnobs(defaultLatencyMs: number, held: readonly string[] = []): Knobs {
  const failures = plannedQueue<FakeFailure>();
  const faults = plannedQueue<FakeFault>();
  const latencies = new Map<string, number>();
  let allLatency = defaultLatencyMs;
  const holds = new Map<string, { promise: Promise<void>; release: () => void }>();
  const knobs: Knobs = {
    hold(method) {
      if (holds.has(method)) return;
      let release: () => void = () => {};
      const promise = new Promise<void>((resolve) => {
        release = resolve;
      });
      holds.set(method, { promise, release });
    },
    release(method) {
      holds.get(method)?.release();
      holds.delete(method);
    },
    released: (method) => holds.get(method)?.promise ?? Promise.resolve(),
    failNext: (method, failure, times, channel) => failures.add(method, failure, times, channel),
    takeFailure(method, channel) {
      const failure = failures.take(method, channel);
      return failure === undefined ? undefined : toReply(failure);
    },
    faultNext: (method, fault, times, channel) => faults.add(method, fault, times, channel),
    takeFault: (method, channel) => faults.take(method, channel),
    setLatency(ms, method) {
      if (method === undefined) allLatency = ms;
      else latencies.set(method, ms);
    },
    latency: (method) => latencies.get(method) ?? allLatency,
  };
  for (const method of held) knobs.hold(method);
  return knobs;
}
