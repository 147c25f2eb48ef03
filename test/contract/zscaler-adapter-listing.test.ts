import { describe, expect, it } from 'vitest';
import { HOSTILE_STRINGS } from '../../adapters/dlp/simulator-kit/hostile.js';
import { zscaler } from '../../adapters/dlp/zscaler/index.js';
import { breakageOf, HARMLESS_BREAKAGE, isMalformed } from '../../adapters/dlp/zscaler/simulator/handlers.js';
import type { ZwaIncidentRecord } from '../../adapters/dlp/zscaler/simulator/records.js';
import {
  startZscalerSimulator,
  type ZscalerSimulator,
  type ZscalerSimulatorOptions,
} from '../../adapters/dlp/zscaler/simulator.js';
import { Incident, TEXT_LIMITS } from '../../src/domain/incident.js';
import { closeAfterAll, collect, createSourceFor, okValue, type SourceOptions } from '../support/adapters.js';
import { fixedClock } from '../support/fixed-clock.js';

const ANCHOR = new Date('2026-11-23T10:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CONSOLE_URL = 'https://admin.example.test/incidents/{id}?tab=details';
const clock = fixedClock(ANCHOR);
const track = closeAfterAll();
const start = async (options: ZscalerSimulatorOptions = {}) =>
  track(await startZscalerSimulator({ seed: 7, incidents: 400, anchor: ANCHOR, clock, ...options }));
const source = (sim: ZscalerSimulator, options: SourceOptions = {}) =>
  track(createSourceFor(zscaler, sim, { id: 'zwa-test', clock, ...options }));
const full = { mode: 'full' } as const;

const OPEN: Record<string, Incident['status']> = { NEW: 'new', INVESTIGATING: 'in_review', ESCALATED: 'in_review' };
const createdSince = (ms: number) => (r: ZwaIncidentRecord) => Date.parse(String(r.createdAt)) >= ms;
const expectedOpen = (sim: ZscalerSimulator, sinceMs = ANCHOR.getTime() - 30 * DAY) =>
  sim.records().filter((r) => r.status in OPEN && createdSince(sinceMs)(r));
const sortedIds = (records: readonly ({ id: string } | { internalId: string })[]) =>
  records.map((r) => ('id' in r ? r.id : r.internalId)).sort();

/** The parts of a served record the mapping reads, as the simulator builds them. */
interface RawShape {
  severity: string;
  createdAt: string;
  lastUpdatedAt: string;
  matchingPolicies: { rules: { name: string }[] };
  userInfo: { email: string };
  sourceType: string;
  applicationInfo: { name: string };
  contentInfo: { fileName: string };
  matchCount: number;
  assignedAdmin: { email: string } | null;
}

/** What the adapter should make of a raw record, written out independently of map.ts. */
function expectedIncident(raw: ZwaIncidentRecord, consoleUrl?: string): Incident {
  const r = raw as unknown as RawShape;
  const clip = (value: unknown, limit: number) => (typeof value === 'string' ? value.slice(0, limit) : null);
  return {
    source: 'zwa-test',
    id: raw.internalId,
    severity: r.severity.toLowerCase() as Incident['severity'],
    status: OPEN[raw.status] ?? ('?' as never),
    rawStatus: raw.status,
    createdAt: new Date(r.createdAt),
    updatedAt: new Date(r.lastUpdatedAt),
    policy: clip(r.matchingPolicies.rules[0]?.name, TEXT_LIMITS.policy),
    actor: r.userInfo.email,
    channel: r.sourceType,
    application: clip(r.applicationInfo.name, TEXT_LIMITS.application),
    fileName: clip(r.contentInfo.fileName, TEXT_LIMITS.fileName),
    matchCount: r.matchCount,
    assignee: r.assignedAdmin?.email ?? null,
    link: consoleUrl ? consoleUrl.replace('{id}', encodeURIComponent(raw.internalId)) : null,
  };
}

describe('zscaler adapter: listing', () => {
  it('should list exactly the open incidents of the lookback window, each mapped field by field', async () => {
    const sim = await start();
    const listed = await collect(source(sim, { overrides: { consoleUrl: CONSOLE_URL } }).listOpen(full));

    expect(listed.error).toBeNull();
    expect(listed.skipped).toBe(0);
    const expected = expectedOpen(sim);
    expect(expected.length).toBeGreaterThan(100);
    expect(sortedIds(listed.incidents)).toEqual(sortedIds(expected));
    const byId = new Map(listed.incidents.map((i) => [i.id, i]));
    for (const raw of expected) expect(byId.get(raw.internalId)).toEqual(expectedIncident(raw, CONSOLE_URL));
  });

  it('should page with the pageId cursor of the first answer and report its totalElements for progress', async () => {
    const sim = await start();
    const listed = await collect(source(sim, { overrides: { pageSize: 40 } }).listOpen(full));

    const searches = sim.searches();
    const inWindow = sim.records().filter(createdSince(ANCHOR.getTime() - 30 * DAY)).length;
    expect(searches.length).toBe(Math.ceil(inWindow / 40));
    expect(searches[0]).toMatchObject({ page: '0', pageSize: '40', pageId: null });
    const pageId = searches[1]?.pageId;
    expect(pageId).toMatch(/^\S+$/);
    for (const [i, s] of searches.slice(1).entries()) {
      expect(s).toMatchObject({ page: String(i + 1), pageSize: '40', pageId });
    }
    expect(listed.pages).toBe(searches.length);
    expect(new Set(listed.expectedTotals)).toEqual(new Set([inWindow]));
    expect(sortedIds(listed.incidents)).toEqual(sortedIds(expectedOpen(sim)));
  });

  it('should send the time range: lookbackDays on a full pass, the watermark on an incremental one', async () => {
    const sim = await start();
    await collect(source(sim, { overrides: { lookbackDays: 2 } }).listOpen(full));
    expect(sim.searches()[0]?.body).toEqual({
      timeRange: { startTime: new Date(ANCHOR.getTime() - 2 * DAY).toISOString(), endTime: ANCHOR.toISOString() },
    });

    const since = new Date(ANCHOR.getTime() - 3 * HOUR);
    const incremental = await collect(source(sim).listOpen({ mode: 'incremental', since }));
    expect(sim.searches().at(-1)?.body).toEqual({
      timeRange: { startTime: since.toISOString(), endTime: ANCHOR.toISOString() },
    });
    const expected = expectedOpen(sim, since.getTime());
    expect(expected.length).toBeGreaterThan(0);
    expect(sortedIds(incremental.incidents)).toEqual(sortedIds(expected));
  });

  it('should send configured filters as the search fields', async () => {
    const sim = await start();
    const filters = [{ name: 'severity', value: ['CRITICAL', 'HIGH'] }];
    const listed = await collect(source(sim, { overrides: { filters } }).listOpen(full));
    expect(sim.searches()[0]?.body).toMatchObject({ fields: filters });
    const expected = expectedOpen(sim).filter((r) => ['CRITICAL', 'HIGH'].includes(String(r.severity)));
    expect(expected.length).toBeGreaterThan(0);
    expect(sortedIds(listed.incidents)).toEqual(sortedIds(expected));
  });

  it('should not shift pages when incidents arrive mid-listing: the pageId result set is fixed', async () => {
    const sim = await start({ arrivalsPerHour: 3_600 });
    // Fewer than 15 pages: the scans' share of the search budget, paced on real time here.
    const listing = source(sim, { overrides: { pageSize: 40 } }).listOpen(full);
    const ids: string[] = [];
    for await (const page of listing) {
      ids.push(...okValue(page).incidents.map((i) => i.id));
      clock.advance(30_000);
    }
    clock.set(ANCHOR);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(
      expectedOpen(sim).filter((r) => Date.parse(String(r.createdAt)) <= ANCHOR.getTime()).length,
    );
  });

  it('should fail the listing, keeping the first page, when the server answers page 0 whatever page is asked', async () => {
    const sim = await start({ quirks: { ignorePage: true } });
    const listed = await collect(source(sim, { overrides: { pageSize: 100 } }).listOpen(full));

    expect(listed.error).toMatchObject({ code: 'schema_mismatch', issues: ['paging: no progress'] });
    expect(listed.error?.message).toMatch(/same page whatever page.*incomplete \(100 records read are kept\)/);
    // Page 0, then two repeats of it: the second repeat proves the page number is ignored.
    expect(sim.searches().map((s) => s.page)).toEqual(['0', '1', '2']);
    // What the first page held is kept: open incidents, each once, and fewer than the whole window holds.
    const open = new Set(sortedIds(expectedOpen(sim)));
    const kept = sortedIds(listed.incidents);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(open.size);
    expect(new Set(kept).size).toBe(kept.length);
    expect(kept.filter((id) => !open.has(id))).toEqual([]);
  });

  it('should skip and count malformed records once, and still list every readable one', async () => {
    const share = 0.15;
    const sim = await start({ quirks: { malformedRecordShare: share } });
    const listed = await collect(source(sim).listOpen(full));

    const inWindow = sim.records().filter(createdSince(ANCHOR.getTime() - 30 * DAY));
    const positions = sim.records().map((r) => r.internalId);
    const broken = inWindow.filter((r) => {
      const position = positions.indexOf(r.internalId);
      return isMalformed(7, position, share) && breakageOf(7, position) !== HARMLESS_BREAKAGE;
    });
    expect(broken.length).toBeGreaterThan(5);
    expect(listed.error).toBeNull();
    expect(listed.skipped).toBe(broken.length);
    const brokenIds = new Set(broken.map((r) => r.internalId));
    expect(sortedIds(listed.incidents)).toEqual(
      sortedIds(expectedOpen(sim).filter((r) => !brokenIds.has(r.internalId))),
    );
  });

  it('should keep hostile vendor text as data, clipped to the limits, and never copy evidence links', async () => {
    const sim = await start({ incidents: 1_500 });
    const listed = await collect(source(sim).listOpen(full));
    const text = JSON.stringify(listed.incidents);
    expect(
      HOSTILE_STRINGS.filter((h) => h.length < 100).some((h) => text.includes(JSON.stringify(h).slice(1, -1))),
    ).toBe(true);
    for (const incident of listed.incidents) expect(Incident.parse(incident)).toEqual(incident);
    expect(text).not.toContain('zwa-sim-evidence');
    expect(text).not.toContain('0000 0000 0000');
  });
});
