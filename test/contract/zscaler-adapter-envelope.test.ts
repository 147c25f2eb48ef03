import { afterAll, describe, expect, it } from 'vitest';
import { zscaler } from '../../adapters/dlp/zscaler/index.js';
import { startZscalerSimulator } from '../../adapters/dlp/zscaler/simulator.js';
import { closeAfterAll, collect, createSourceFor } from '../support/adapters.js';
import { fixedClock } from '../support/fixed-clock.js';
import { startVanishingVendor, type VanishingVendor } from '../support/vanishing-vendor.js';

const ANCHOR = new Date('2026-11-23T10:00:00Z');
const clock = fixedClock(ANCHOR);
const track = closeAfterAll();
const proxies: VanishingVendor[] = [];
afterAll(async () => {
  await Promise.all(proxies.map((p) => p.close()));
});

describe('Zscaler adapter: a search cursor is read only for what paging needs', () => {
  it('should list every record when each cursor carries negative page numbers and counts', async () => {
    const sim = track(await startZscalerSimulator({ seed: 7, incidents: 400, anchor: ANCHOR, clock }));
    const proxy = await startVanishingVendor(sim.baseUrl, 'POST /dlp/v1/incidents/search');
    proxies.push(proxy);
    const truth = await collect(track(createSourceFor(zscaler, sim, { id: 'zwa', clock })).listOpen({ mode: 'full' }));
    let pages = 0;
    proxy.rewritePages((page) => {
      pages += 1;
      const cursor = page.cursor as Record<string, unknown>;
      return {
        ...page,
        cursor: {
          ...cursor,
          totalPages: -pages,
          currentPageNumber: -7 * pages,
          currentPageSize: -1,
          totalElements: -42,
        },
      };
    });

    const listed = await collect(
      track(createSourceFor(zscaler, sim, { id: 'zwa', clock, overrides: { baseUrl: proxy.url } })).listOpen({
        mode: 'full',
      }),
    );

    expect(listed.error).toBeNull();
    expect(pages).toBeGreaterThan(2);
    expect(truth.incidents.length).toBeGreaterThan(100);
    expect(listed.incidents.map((i) => i.id).sort()).toEqual(truth.incidents.map((i) => i.id).sort());
    expect(listed.expectedTotals.every((total) => total === null)).toBe(true);
  });
});
