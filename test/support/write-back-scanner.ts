import { afterEach } from 'vitest';
import { createSlaPolicy, type SlaPolicy } from '../../src/domain/sla.js';
import { SlaConfig } from '../../src/domain/sla-config.js';
import { silentLogger } from '../../src/log.js';
import type { IncidentSource } from '../../src/ports/index.js';
import { runScan } from '../../src/scan/run-scan.js';
import { openStore, type Store } from '../../src/store/index.js';

/** The default SLA rules (critical 2 h … info 16 h, around the clock) the write-back tests judge breaches by. */
export const policy = createSlaPolicy(SlaConfig.parse({}), []);

/**
 * Scans `source` into a fresh in-memory store through the real scan path (by `rules`, else the default ones), with incremental scans (a full pass
 * only every 100th), as write-back runs on schedules; the stores close after each test of the calling file.
 */
export function useScanner(): (
  source: IncidentSource,
  rules?: SlaPolicy,
) => {
  store: Store;
  scan: (now: Date) => ReturnType<typeof runScan>;
} {
  const stores: Store[] = [];
  afterEach(() => {
    for (const store of stores.splice(0)) store.close();
  });
  return (source, rules = policy) => {
    const store = openStore(':memory:');
    stores.push(store);
    const deps = {
      store,
      sources: [source],
      policy: rules,
      logger: silentLogger,
      options: { fullResyncEvery: 100, overlapMinutes: 10 },
    };
    return { store, scan: (now: Date) => runScan(deps, now) };
  };
}
