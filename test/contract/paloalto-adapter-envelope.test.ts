import { afterAll, describe, expect, it } from 'vitest';
import { collect } from '../support/adapters.js';
import { fixedClock } from '../support/fixed-clock.js';
import { ANCHOR, simulatorRecordsWith, useSimulators } from '../support/paloalto.js';
import { sortedIds, usePanSources } from '../support/paloalto-expect.js';
import { usePublishedSources } from '../support/paloalto-published.js';
import { startVanishingVendor, type VanishingVendor } from '../support/vanishing-vendor.js';

const start = useSimulators({ seed: 11 });
const panSource = usePanSources();
const publishedSource = usePublishedSources();
const LISTED = ['open', 'in_review'];
const clock = fixedClock(ANCHOR);
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

  it('should list every record of the published API when its page block carries negative sizes and counts', async () => {
    const sim = await start({ api: 'published' });
    const proxy = await startVanishingVendor(sim.publishedBaseUrl, 'GET /v2/api/incidents');
    proxies.push(proxy);
    const truth = await collect(
      publishedSource(sim, { clock, overrides: { pageSize: 25 } }).listOpen({ mode: 'full' }),
    );
    const next = seeded(11);
    let pages = 0;
    proxy.rewritePages((page) => {
      pages += 1;
      const negative = () => -(next() % 1_000) - 1;
      // `number` is the one value paging needs (the server's page base), so it stays as served.
      const served = page.page as Record<string, unknown>;
      return { ...page, page: { ...served, size: negative(), total_elements: negative(), total_pages: negative() } };
    });

    const listed = await collect(
      publishedSource(sim, { clock, overrides: { pageSize: 25, baseUrl: proxy.url } }).listOpen({ mode: 'full' }),
    );

    expect(listed.error).toBeNull();
    expect(pages).toBeGreaterThan(2);
    expect(truth.incidents.length).toBeGreaterThan(50);
    expect(sortedIds(listed.incidents)).toEqual(sortedIds(truth.incidents));
    expect(listed.expectedTotals.every((total) => total === null)).toBe(true);
  });
});
