import type { IncomingMessage } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RequestLog } from './request-log.js';
import type { RouteMatch, Router } from './router.js';

/**
 * Matches a request to its route and records it in the log first, so request counts include 404s, 405s and
 * requests later refused by a fault or by auth, as a vendor gateway's access log would.
 */
export function routeRequest<H>(
  req: IncomingMessage,
  router: Router<H>,
  log: RequestLog,
): { url: URL; match: RouteMatch<H> } {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const match = router.match(req.method ?? 'GET', url.pathname);
  log.record({
    method: req.method ?? '',
    path: url.pathname,
    route: match.kind === 'ok' ? match.route.key : 'unmatched',
  });
  return { url, match };
}

export interface ExtraLatency {
  /** Real-time delay for every API request from now on, on top of `faults.latencyMs`; 0 turns it off. */
  set(ms: number): void;
  /** Waits out the delay set (nothing when it is 0). */
  wait(): Promise<void>;
}

/**
 * A latency that can change while the simulator runs (the fault injector's is fixed at start), so a benchmark
 * can scan fast, then make triage calls slow.
 */
export function createExtraLatency(): ExtraLatency {
  let extraMs = 0;
  return {
    set(ms) {
      if (!(Number.isInteger(ms) && ms >= 0)) throw new RangeError('setLatency: ms must be a non-negative integer');
      extraMs = ms;
    },
    async wait() {
      if (extraMs > 0) await sleep(extraMs);
    },
  };
}
