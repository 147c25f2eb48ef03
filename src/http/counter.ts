import type { RequestCounter, SourceRequestCounts } from '../ports/index.js';

export type { RequestCounter, SourceRequestCounts };

/** `observe` hears every request as it is counted (the ops listener's /metrics). */
export function createRequestCounter(observe?: RequestCounter['record']): RequestCounter {
  const counts = new Map<string, SourceRequestCounts>();
  return {
    record(source, kind, outcome) {
      observe?.(source, kind, outcome);
      let entry = counts.get(source);
      if (!entry) {
        entry = { api: 0, token: 0, rateLimited: 0, failed: 0 };
        counts.set(source, entry);
      }
      entry[kind] += 1;
      if (outcome === 429) entry.rateLimited += 1;
      else if (outcome === 'network_error' || outcome >= 500) entry.failed += 1;
    },
    total: () => [...counts.values()].reduce((sum, c) => sum + c.api + c.token, 0),
    bySource: () => Object.fromEntries([...counts].map(([source, c]) => [source, { ...c }])),
  };
}
