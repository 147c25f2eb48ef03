import type { SourceConfig } from '../config/schema.js';
import type { AdapterDeps } from '../ports/index.js';
import type { HttpClientOptions } from './types.js';

export type SourceClientBase = Pick<
  HttpClientOptions,
  'source' | 'http' | 'counter' | 'logger' | 'now' | 'sleep' | 'egress' | 'signal'
>;

/**
 * The options every HTTP client of one vendor source shares. When the composition root injects `sleep` (tests and
 * benchmarks on a virtual clock), pacing and Retry-After waits read `clock` and wait with it, so they pass without
 * real waiting and a test can see exactly what was asked for; otherwise the client keeps real time. A fixed clock
 * without `sleep` must not drive pacing: it would never move on.
 */
export function sourceClientBase(config: Pick<SourceConfig, 'id' | 'http'>, deps: AdapterDeps): SourceClientBase {
  const timers = deps.sleep ? { now: () => deps.clock.now().getTime(), sleep: deps.sleep } : {};
  const egress = deps.egress ? { egress: deps.egress } : {};
  const stop = deps.signal ? { signal: deps.signal } : {};
  return {
    source: config.id,
    http: config.http,
    counter: deps.counter,
    logger: deps.logger,
    ...timers,
    ...egress,
    ...stop,
  };
}
