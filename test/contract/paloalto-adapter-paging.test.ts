import { describe, expect, it } from 'vitest';
import type { DLPIncident } from '../../adapters/dlp/paloalto/simulator/catalog.js';
import { isMalformed, malform, REPEATED_RECORDS } from '../../adapters/dlp/paloalto/simulator/quirks.js';
import type { PaloAltoSimulator } from '../../adapters/dlp/paloalto/simulator.js';
import { collect } from '../support/adapters.js';
import { type Json, listRequests, simulatorRecordsWith, useSimulators } from '../support/paloalto.js';
import { sortedIds, usePanSources } from '../support/paloalto-expect.js';

const SEED = 43;
const start = useSimulators({ seed: SEED });
const panSource = usePanSources();
const LISTED = ['open', 'in_review'];
const full = { mode: 'full' } as const;

/**
 * The records the simulator serves broken in a field the adapter reads. `file_size` is not one of those, so
 * a record broken only there is still a good incident; every other breakage must be skipped and counted.
 */
function unreadable(sim: PaloAltoSimulator, share: number, statuses = LISTED): Json[] {
  return simulatorRecordsWith(sim, statuses).filter((raw) => {
    const position = Number(raw.incident_id) - 1_000_000;
    if (!isMalformed(SEED, position, share)) return false;
    const broken = malform(SEED, position, raw as unknown as DLPIncident);
    const changed = Object.keys({ ...raw, ...broken }).filter((k) => broken[k] !== raw[k]);
    expect(changed).toHaveLength(1);
    return changed[0] !== 'file_size';
  });
}

const counts = (sim: PaloAltoSimulator) => LISTED.map((s) => simulatorRecordsWith(sim, [s]).length);

describe('Palo Alto adapter: paging terminates and stays correct under vendor quirks', () => {
  it('should stop on the short page when the total is inflated', async () => {
    const sim = await start({ quirks: { inflateTotal: 1_000 } });
    const listed = await collect(panSource(sim, { overrides: { pageSize: 40 } }).listOpen(full));
    expect(listed.error).toBeNull();
    expect(sortedIds(listed.incidents)).toEqual(sortedIds(simulatorRecordsWith(sim, LISTED)));
    // Trusting no total, the adapter needs one short (possibly empty) page per status to know it is done.
    expect(listRequests(sim)).toBe(counts(sim).reduce((sum, n) => sum + Math.floor(n / 40) + 1, 0));
    expect(listed.expectedTotals.every((t) => (t ?? 0) > 1_000)).toBe(true);
  });

  it('should drop records the vendor repeats from the previous page', async () => {
    const sim = await start({ quirks: { repeatRecords: true } });
    const listed = await collect(panSource(sim, { overrides: { pageSize: 25 } }).listOpen(full));
    expect(listed.error).toBeNull();
    const ids = listed.incidents.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(sortedIds(listed.incidents)).toEqual(sortedIds(simulatorRecordsWith(sim, LISTED)));
    expect(listed.skipped).toBe(0);
    expect(REPEATED_RECORDS).toBeLessThan(25);
  });

  it('should yield the first page, then a schema_mismatch saying the listing is incomplete, when offset is ignored', async () => {
    const sim = await start({ quirks: { offsetIgnored: true } });
    const listed = await collect(panSource(sim, { overrides: { pageSize: 50 } }).listOpen(full));
    expect(listed.pages).toBe(1);
    expect(listed.incidents.map((i) => i.id)).toEqual(
      simulatorRecordsWith(sim, ['open'])
        .slice(0, 50)
        .map((r) => r.incident_id),
    );
    expect(listed.error?.code).toBe('schema_mismatch');
    expect(listed.error?.message).toMatch(/incomplete \(50 records read are kept\)$/);
    expect(listRequests(sim)).toBe(2);
  });

  it('should skip and count broken records while returning every good one', async () => {
    const sim = await start({ quirks: { malformedRecordShare: 0.2 } });
    const listed = await collect(panSource(sim, { overrides: { pageSize: 40 } }).listOpen(full));
    expect(listed.error).toBeNull();
    const bad = new Set(unreadable(sim, 0.2).map((r) => String(r.incident_id)));
    expect(bad.size).toBeGreaterThan(20);
    expect(listed.skipped).toBe(bad.size);
    const good = simulatorRecordsWith(sim, LISTED).filter((r) => !bad.has(String(r.incident_id)));
    expect(sortedIds(listed.incidents)).toEqual(sortedIds(good));
  });

  it('should count a broken record the vendor repeats only once', async () => {
    const sim = await start({ quirks: { malformedRecordShare: 0.2, repeatRecords: true } });
    const listed = await collect(panSource(sim, { overrides: { pageSize: 25 } }).listOpen(full));
    expect(listed.error).toBeNull();
    const bad = new Set(unreadable(sim, 0.2).map((r) => String(r.incident_id)));
    expect(listed.skipped).toBe(bad.size);
    const good = simulatorRecordsWith(sim, LISTED).filter((r) => !bad.has(String(r.incident_id)));
    expect(sortedIds(listed.incidents)).toEqual(sortedIds(good));
  });

  it('should still stop when the offset is ignored and the repeated page holds broken records', async () => {
    const sim = await start({ quirks: { offsetIgnored: true, malformedRecordShare: 0.3 } });
    const listing = panSource(sim, { overrides: { pageSize: 50 } }).listOpen(full);
    // A bounded drain: a listing that never notices the repeat would otherwise page 20,000 times.
    const items = [];
    for await (const item of listing) {
      items.push(item);
      if (items.length > 5) break;
    }
    expect(items.map((i) => i.ok)).toEqual([true, false]);
    const [first, last] = items;
    expect(first?.ok && first.value.skipped).toBeGreaterThan(0);
    expect(!last?.ok && last?.error.code).toBe('schema_mismatch');
    expect(listRequests(sim)).toBe(2);
  });

  it('should turn a truncated JSON body into a schema_mismatch error, not a throw', async () => {
    const sim = await start({ quirks: { invalidJson: true } });
    const listed = await collect(panSource(sim).listOpen(full));
    expect(listed.pages).toBe(0);
    expect(listed.error).toMatchObject({ code: 'schema_mismatch', status: 200, issues: ['body: not valid JSON'] });
    expect(listRequests(sim)).toBe(1);
  });
});
