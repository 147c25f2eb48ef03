import { describe, expect, it } from 'vitest';
import { ADAPTERS } from '../../../adapters/dlp/index.js';
import { loadBenchVendors } from '../../../bench/vendors/index.js';

describe('the scan benchmark vendors', () => {
  it("should come from every registered adapter's own folder, in registry order, each name once", async () => {
    const names = (await loadBenchVendors()).map((v) => v.vendor);
    // Each adapter's kits start with the one named by its vendor id (Palo Alto adds its published API).
    expect(names.filter((name) => ADAPTERS.some((a) => a.vendor === name))).toEqual(ADAPTERS.map((a) => a.vendor));
    expect(names).toContain('paloalto-published');
    expect(new Set(names).size).toBe(names.length);
  });
});
