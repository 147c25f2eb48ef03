import { afterAll, describe, expect, it } from 'vitest';
import { collect } from '../support/adapters.js';
import { simulatorRecordsWith, useSimulators } from '../support/paloalto.js';
import { sortedIds, usePanSources } from '../support/paloalto-expect.js';
import { startVanishingVendor, type VanishingVendor } from '../support/vanishing-vendor.js';

const start = useSimulators({ seed: 11 });
const panSource = usePanSources();
const LISTED = ['open', 'in_review'];
const proxies: VanishingVendor[] = [];
afterAll(async () => {
  await Promise.all(proxies.map((p) => p.close()));
});

/** A seeded generator, so a failing run replays: the envelope values a dynamic mock (Stoplight Prism) makes up. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state;
  };
}

describe('Palo Alto adapter: a page envelope is read only for what paging needs', () => {
  it('should list every record when each page carries a random negative total, offset and limit', async () => {
    const sim = await start();
    const proxy = await startVanishingVendor(sim.baseUrl);
    proxies.push(proxy);
    const next = seeded(7);
    let pages = 0;
    proxy.rewritePages((page) => {
      pages += 1;
      return { ...page, total: -(next() % 10_000) - 1, offset: -(next() % 500) - 1, limit: -(next() % 500) - 1 };
    });

    const source = panSource(sim, { overrides: { pageSize: 40, baseUrl: proxy.url } });
    const listed = await collect(source.listOpen({ mode: 'full' }));

    expect(listed.error).toBeNull();
    expect(pages).toBeGreaterThan(2);
    expect(sortedIds(listed.incidents)).toEqual(sortedIds(simulatorRecordsWith(sim, LISTED)));
    expect(listed.skipped).toBe(0);
    // A total that cannot be a count is not one: paging ends on the short page instead.
    expect(listed.expectedTotals.every((total) => total === null)).toBe(true);
  });
});
