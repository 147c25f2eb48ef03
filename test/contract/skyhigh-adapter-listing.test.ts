import { describe, expect, it } from 'vitest';
import { HOSTILE_STRINGS, LONG_HOSTILE_NAME } from '../../adapters/dlp/simulator-kit/hostile.js';
import { skyhigh } from '../../adapters/dlp/skyhigh/index.js';
import type { ShnIncidentRecord } from '../../adapters/dlp/skyhigh/simulator/records.js';
import {
  QUERY_ROUTE,
  type SkyhighSimulator,
  type SkyhighSimulatorOptions,
  startSkyhighSimulator,
} from '../../adapters/dlp/skyhigh/simulator.js';
import { Incident, TEXT_LIMITS } from '../../src/domain/incident.js';
import { closeAfterAll, collect, createSourceFor, type SourceOptions } from '../support/adapters.js';
import { fixedClock } from '../support/fixed-clock.js';

const ANCHOR = new Date('2026-11-23T10:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CONSOLE_URL = 'https://console.example.test/incidents/{id}?tab=details';
const clock = fixedClock(ANCHOR);
const track = closeAfterAll();
const start = async (options: SkyhighSimulatorOptions = {}) =>
  track(await startSkyhighSimulator({ seed: 12, incidents: 600, anchor: ANCHOR, clock, ...options }));
const source = (sim: SkyhighSimulator, options: SourceOptions = {}) =>
  track(createSourceFor(skyhigh, sim, { id: 'shn-test', clock, ...options }));
const full = { mode: 'full' } as const;

const OPEN: Record<string, Incident['status']> = { new: 'new', opened: 'open' };
const isPolicy = (r: ShnIncidentRecord) => r.incidentGroup.startsWith('Alert.Policy.');
const modifiedSince = (ms: number) => (r: ShnIncidentRecord) => Date.parse(r.timeModified) >= ms;
/** What the default configuration must list: open policy alerts modified in the last 30 days. */
const expectedOpen = (sim: SkyhighSimulator, sinceMs = ANCHOR.getTime() - 30 * DAY) =>
  sim.records().filter((r) => isPolicy(r) && r.status in OPEN && modifiedSince(sinceMs)(r));
const sortedIds = (records: readonly ({ id: string } | { incidentId: string })[]) =>
  records.map((r) => ('id' in r ? r.id : r.incidentId)).sort();

/** What the adapter should make of a raw record, written out independently of map.ts. */
function expectedIncident(raw: ShnIncidentRecord, consoleUrl?: string): Incident {
  const text = (value: unknown, limit: number) => (typeof value === 'string' ? value.slice(0, limit) : null);
  const info = raw.information;
  return {
    source: 'shn-test',
    id: raw.incidentId,
    severity: raw.incidentRiskSeverity,
    status: OPEN[raw.status] ?? ('?' as never),
    rawStatus: raw.status,
    createdAt: new Date(raw.timeCreated),
    updatedAt: new Date(raw.timeModified),
    policy: text(info.policyName, TEXT_LIMITS.policy),
    actor: raw.actorId === 'NOT AVAILABLE' ? null : text(raw.actorId, TEXT_LIMITS.actor),
    channel: text(raw.instanceName, TEXT_LIMITS.channel),
    application: text(raw.serviceNames.join(', '), TEXT_LIMITS.application),
    fileName: text(info.contentItemName, TEXT_LIMITS.fileName),
    matchCount: typeof info.totalMatchCount === 'number' ? info.totalMatchCount : null,
    assignee: null,
    link: consoleUrl ? consoleUrl.replace('{id}', encodeURIComponent(raw.incidentId)) : null,
  };
}

describe('Skyhigh adapter: full listing', () => {
  it('should list exactly the open policy incidents of the lookback window, each mapped field by field', async () => {
    const sim = await start();
    const listed = await collect(source(sim, { overrides: { consoleUrl: CONSOLE_URL } }).listOpen(full));
    expect(listed.error).toBeNull();
    expect(listed.skipped).toBe(0);
    expect(listed.expectedTotals.every((t) => t === null)).toBe(true);
    const truth = expectedOpen(sim);
    expect(truth.length).toBeGreaterThan(250);
    expect(sortedIds(listed.incidents)).toEqual(sortedIds(truth));
    const byId = new Map(listed.incidents.map((i) => [i.id, i]));
    for (const raw of truth) {
      const mapped = byId.get(raw.incidentId);
      expect(mapped).toEqual(expectedIncident(raw, CONSOLE_URL));
      expect(Incident.parse(mapped)).toEqual(mapped);
    }
    expect(new Set(listed.incidents.map((i) => i.severity))).toEqual(new Set(['low', 'medium', 'high']));
    expect(new Set(listed.incidents.map((i) => i.status))).toEqual(new Set(['new', 'open']));
    expect(listed.incidents.some((i) => i.actor === null)).toBe(true);
    expect(listed.incidents.some((i) => i.createdAt.getTime() !== i.updatedAt?.getTime())).toBe(true);
  });

  it('should build no link without a consoleUrl, and URL-encode the id into one', async () => {
    const sim = await start();
    const listed = await collect(source(sim).listOpen(full));
    expect(listed.incidents.length).toBeGreaterThan(250);
    expect(listed.incidents.filter((i) => i.link !== null)).toEqual([]);
  });

  it('should keep hostile text verbatim, clipped only to the Incident text limits', async () => {
    const sim = await start();
    const listed = await collect(source(sim).listOpen(full));
    const byId = new Map(listed.incidents.map((i) => [i.id, i]));
    const seen = new Set<string>();
    for (const raw of expectedOpen(sim)) {
      const mapped = byId.get(raw.incidentId);
      const checks: [unknown, string | null | undefined, number][] = [
        [raw.information.policyName, mapped?.policy, TEXT_LIMITS.policy],
        [raw.information.contentItemName, mapped?.fileName, TEXT_LIMITS.fileName],
        [raw.actorId, mapped?.actor, TEXT_LIMITS.actor],
        [raw.instanceName, mapped?.channel, TEXT_LIMITS.channel],
        [raw.serviceNames[0], mapped?.application, TEXT_LIMITS.application],
      ];
      for (const [value, got, limit] of checks) {
        if (typeof value !== 'string' || !HOSTILE_STRINGS.includes(value)) continue;
        seen.add(value);
        expect(got).toBe(value.slice(0, limit));
      }
    }
    for (const needed of ['<!channel>', LONG_HOSTILE_NAME, '\u202Etxt.exe', 'pay\u200Broll']) {
      expect(seen.has(needed), `dataset lacks ${JSON.stringify(needed.slice(0, 20))}`).toBe(true);
    }
  });

  it('should copy nothing else from the information map: paths, match locations, devices and ids stay out', async () => {
    const sim = await start();
    const listed = await collect(source(sim).listOpen(full));
    const serialised = JSON.stringify(listed.incidents);
    const raws = expectedOpen(sim).filter((r) => typeof r.information.contentItemHierarchy === 'string');
    expect(raws.length).toBeGreaterThan(100);
    for (const raw of raws) {
      expect(serialised).not.toContain(String(raw.information.contentItemHierarchy));
      expect(serialised).not.toContain(`"${String(raw.information.contentItemId)}"`);
    }
    expect(serialised).not.toMatch(/matchLocations|Metadata|192\.0\.2\.|contentItemSize|eventId/);
  });

  it('should read only the lookbackDays window on a full pass', async () => {
    const sim = await start();
    const listed = await collect(source(sim, { overrides: { lookbackDays: 1 } }).listOpen(full));
    const truth = expectedOpen(sim, ANCHOR.getTime() - DAY);
    expect(truth.length).toBeLessThan(expectedOpen(sim).length - 10);
    expect(sortedIds(listed.incidents)).toEqual(sortedIds(truth));
  });

  it('should honour categories, product and fields from the config', async () => {
    const sim = await start();
    const everyType = await collect(source(sim, { overrides: { categories: [] } }).listOpen(full));
    const sanctioned = sim.records().filter((r) => r.status in OPEN && !r.incidentId.startsWith('SHW-'));
    expect(sortedIds(everyType.incidents)).toEqual(sortedIds(sanctioned));
    expect(new Set(everyType.incidents.map((i) => i.id.slice(0, 3)))).toContain('THR');
    const shadow = await collect(source(sim, { overrides: { categories: [], product: 'SHADOW' } }).listOpen(full));
    expect(sortedIds(shadow.incidents)).toEqual(
      sortedIds(sim.records().filter((r) => r.status in OPEN && r.incidentId.startsWith('SHW-'))),
    );
    const policy = 'PII - SSN';
    const fields = await collect(source(sim, { overrides: { fields: { policyName: [policy] } } }).listOpen(full));
    expect(fields.incidents.length).toBeGreaterThan(10);
    expect(sortedIds(fields.incidents)).toEqual(
      sortedIds(expectedOpen(sim).filter((r) => r.information.policyName === policy)),
    );
  });
});

describe('Skyhigh adapter: incremental listing', () => {
  it('should list open incidents modified since `since`, including older ones changed since then', async () => {
    const sim = await start();
    const since = new Date(ANCHOR.getTime() - 2 * HOUR);
    const truth = expectedOpen(sim, since.getTime());
    expect(truth.length).toBeGreaterThan(20);
    expect(truth.length).toBeLessThan(expectedOpen(sim).length * 0.6);
    const older = truth.filter((r) => Date.parse(r.timeCreated) < since.getTime());
    expect(older.length).toBeGreaterThan(0);
    const before = sim.requests().byRoute[QUERY_ROUTE] ?? 0;
    const listed = await collect(source(sim).listOpen({ mode: 'incremental', since }));
    expect(listed.error).toBeNull();
    expect(sortedIds(listed.incidents)).toEqual(sortedIds(truth));
    for (const incident of listed.incidents) expect(incident.updatedAt?.getTime()).toBeGreaterThanOrEqual(+since);
    // One page: under 500 incidents of any status changed in two hours.
    expect((sim.requests().byRoute[QUERY_ROUTE] ?? 0) - before).toBe(1);
    const edge = new Date(String(truth[0]?.timeModified));
    const inclusive = await collect(source(sim).listOpen({ mode: 'incremental', since: edge }));
    expect(inclusive.incidents.map((i) => i.id)).toContain(truth[0]?.incidentId);
  });
});

describe('Skyhigh adapter: request economy', () => {
  it('should page with the time cursor in about ceil(n / (limit - 1)) requests, one page per request', async () => {
    const sim = await start();
    const counted = sim.records().filter((r) => isPolicy(r) && modifiedSince(ANCHOR.getTime() - 30 * DAY)(r)).length;
    const listed = await collect(source(sim, { overrides: { limit: 7 } }).listOpen(full));
    expect(listed.error).toBeNull();
    expect(sortedIds(listed.incidents)).toEqual(sortedIds(expectedOpen(sim)));
    const requests = sim.requests().byRoute[QUERY_ROUTE] ?? 0;
    expect(listed.pages).toBe(requests);
    // Each full page re-reads its boundary record, so it brings at most limit - 1 new ones.
    expect(requests).toBeGreaterThanOrEqual(Math.ceil(counted / 6));
    expect(requests).toBeLessThanOrEqual(Math.ceil(counted / 6) + 3);
    expect(sim.requests().token).toBe(0);
  });
});
