/**
 * Symphony DLP (EFv3 agent API): `GET /agent/v3/dlp/violations/{message|stream|signal}` pages of at most 500 by
 * the `next` ← `nextOffset` cursor, one endpoint per kind, a bodiless 204 when a kind has nothing in range; RSA JWT
 * authentication at the pod (session token) and at the key manager (key manager token). Every violation is an
 * incident (Symphony has no status), so the scan stores every one it reads.
 */
import {
  type BenchVendor,
  datasetOptions,
  defineBenchVendor,
  lookbackReaching,
  pagesKnowingTotal,
} from '../simulator-kit/bench-kit.js';

export const SYMPHONY_KINDS = ['message', 'stream', 'signal'] as const;
type Kind = (typeof SYMPHONY_KINDS)[number];

interface SymphonyFacts {
  /** Violations per endpoint. */
  kindCounts: Record<Kind, number>;
  /** Days back from the anchor that reach the oldest `createTime` (the adapter allows 1..90). */
  lookbackDays: number;
}

/**
 * Per kind, the documented API forces ceil(n / limit) pages: `nextOffset` is null ("" in Symphony's samples) on
 * the last page, so a full last page needs no empty one after it; a kind with nothing is one request (the 204).
 */
export function symphonyMinRequests(kindCounts: Record<Kind, number>, limit: number): Record<Kind, number> {
  return {
    message: pagesKnowingTotal(kindCounts.message, limit),
    stream: pagesKnowingTotal(kindCounts.stream, limit),
    signal: pagesKnowingTotal(kindCounts.signal, limit),
  };
}

export const symphony = defineBenchVendor<SymphonyFacts>({
  vendor: 'symphony',
  defaults: { incidents: 20_000, pageSize: 500 },
  maxPageSize: 500,
  note: 'three endpoints (message, stream, signal), every violation stored',
  async serve(spec) {
    const { startSymphonySimulator } = await import('./simulator.js');
    // A session outlives the run (the default is the shortest a pod allows, an hour): one pair of tokens.
    const simulator = await startSymphonySimulator(datasetOptions(spec));
    const kindCounts: Record<Kind, number> = { message: 0, stream: 0, signal: 0 };
    let oldestMs = spec.anchorMs;
    for (const kind of SYMPHONY_KINDS) {
      const items = simulator.violations(kind);
      kindCounts[kind] = items.length;
      // Oldest first, as the agent serves them.
      const first = items[0]?.violation as { createTime?: unknown } | undefined;
      if (typeof first?.createTime === 'number') oldestMs = Math.min(oldestMs, first.createTime);
    }
    return {
      simulator,
      requests() {
        const { total, sessionAuth, keyManagerAuth, byRoute } = simulator.requests();
        return { total, token: sessionAuth + keyManagerAuth, byRoute };
      },
      facts: { kindCounts, lookbackDays: lookbackReaching(spec.anchorMs, oldestMs) },
    };
  },
  // Every kind (the default) and a lookback reaching the oldest violation, so the scan reads them all.
  source: (entry, facts, pageSize) => ({ ...entry, limit: pageSize, lookbackDays: Math.max(7, facts.lookbackDays) }),
  expect(facts, spec, pageSize) {
    const breakdown = symphonyMinRequests(facts.kindCounts, pageSize);
    const total = SYMPHONY_KINDS.reduce((sum, kind) => sum + facts.kindCounts[kind], 0);
    return {
      fetched: total,
      minApiRequests: breakdown.message + breakdown.stream + breakdown.signal,
      breakdown,
      // The session token at the pod and the key manager token at /relay, both needed by every agent call.
      tokenRequests: 2,
      dataset: { kindCounts: facts.kindCounts },
      checks: {
        datasetComplete: total === spec.incidents,
        lookbackAllowed: facts.lookbackDays <= 90,
      },
    };
  },
});

export const benchKits: readonly BenchVendor[] = [symphony];
