import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { modifiedRunsOf, skyhighMinRequests } from '../../adapters/dlp/skyhigh/bench.js';
import { skyhigh } from '../../adapters/dlp/skyhigh/index.js';
import type { ShnIncidentRecord } from '../../adapters/dlp/skyhigh/simulator/records.js';
import {
  type BulkChange,
  QUERY_ROUTE,
  type SkyhighSimulator,
  startSkyhighSimulator,
} from '../../adapters/dlp/skyhigh/simulator.js';
import { createConfigSchema } from '../../src/config/schema.js';
import { createSlaPolicy } from '../../src/domain/sla.js';
import { SlaConfig } from '../../src/domain/sla-config.js';
import { createRequestCounter } from '../../src/http/counter.js';
import { silentLogger } from '../../src/log.js';
import type { IncidentSource } from '../../src/ports/index.js';
import { runScan } from '../../src/scan/run-scan.js';
import { openStore } from '../../src/store/index.js';
import { closeAfterAll, collect } from '../support/adapters.js';
import { type FixedClock, fixedClock } from '../support/fixed-clock.js';

// A console bulk action gives many incidents one timeModified, and the API's only cursor is a millisecond.
const SEED = 31;
const ANCHOR = new Date('2026-11-23T10:00:00Z');
const BURST_AT = new Date(ANCHOR.getTime() - 2 * 3_600_000);
const full = { mode: 'full' } as const;
const track = closeAfterAll();

async function start(incidents: number, bulkChange?: BulkChange, clock = fixedClock(ANCHOR), arrivalsPerHour = 0) {
  return track(
    await startSkyhighSimulator({ seed: SEED, incidents, anchor: ANCHOR, clock, bulkChange, arrivalsPerHour }),
  );
}

type Json = Record<string, unknown>;

/** Every record of the product (every type), as the bench reads them: `categories: []` and a year of lookback. */
function sourceFor(sim: SkyhighSimulator, limit: number, clock: FixedClock = fixedClock(ANCHOR)) {
  const lines: Json[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line) as Json) });
  const entry = { ...sim.sourceConfig('shn-burst'), limit, categories: [], lookbackDays: 365 };
  const [config] = createConfigSchema([skyhigh.config], sim.env()).parse({ sources: [entry] }).sources;
  if (!config) throw new Error('the config schema dropped the source');
  const source = track(skyhigh.create(config, { logger, counter: createRequestCounter(), clock }) as IncidentSource);
  return { source, drains: () => lines.filter((l) => String(l.msg).includes('reading that millisecond alone')) };
}

const sanctioned = (sim: SkyhighSimulator) => sim.records().filter((r) => !r.incidentId.startsWith('SHW-'));
const openIds = (records: readonly ShnIncidentRecord[]) =>
  records
    .filter((r) => r.status === 'new' || r.status === 'opened')
    .map((r) => r.incidentId)
    .sort();
const sharing = (sim: SkyhighSimulator, when: Date) =>
  sim.records().filter((r) => r.timeModified === when.toISOString());
const queries = (sim: SkyhighSimulator) => sim.requests().byRoute[QUERY_ROUTE] ?? 0;
/** The bench's minimum for this dataset: what the adapter must cost, no more. */
const minRequests = (sim: SkyhighSimulator, limit: number) =>
  skyhighMinRequests(modifiedRunsOf(sanctioned(sim).map((r) => Date.parse(r.timeModified))), limit);

describe('Skyhigh adapter: many incidents in one millisecond', () => {
  it('should list a burst smaller than a page without any extra request', async () => {
    const sim = await start(300, { records: 30, at: BURST_AT });
    expect(sharing(sim, BURST_AT)).toHaveLength(30);
    const { source, drains } = sourceFor(sim, 40);
    const listed = await collect(source.listOpen(full));
    expect(listed.error).toBeNull();
    expect(listed.incidents.map((i) => i.id).sort()).toEqual(openIds(sanctioned(sim)));
    expect(drains()).toEqual([]);
    expect(queries(sim)).toBe(minRequests(sim, 40));
  });

  it.each([
    [40, 40],
    [95, 40],
  ])('should read a burst of %i that fills a page of %i with one narrow query and miss none', async (burst, limit) => {
    const sim = await start(300, { records: burst, at: BURST_AT });
    const shared = sharing(sim, BURST_AT);
    expect(shared).toHaveLength(burst);
    // Incidents changed after the burst: paging goes on past it.
    expect(sanctioned(sim).filter((r) => Date.parse(r.timeModified) > BURST_AT.getTime()).length).toBeGreaterThan(0);
    const { source, drains } = sourceFor(sim, limit);
    const listed = await collect(source.listOpen(full));
    expect(listed.error).toBeNull();
    const ids = listed.incidents.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(openIds(sanctioned(sim)));
    expect(ids).toEqual(expect.arrayContaining(openIds(shared)));
    expect(drains().map((l) => [l.at, l.limit])).toEqual([[BURST_AT.toISOString(), 500]]);
    // The narrow query is the one request a page inside one millisecond adds; the bench counts it too.
    expect(queries(sim)).toBe(minRequests(sim, limit));
  });

  it('should fail the listing, typed, when one millisecond holds more than the largest page, yet list the rest', async () => {
    const sim = await start(1_400, { records: 501, at: BURST_AT });
    const shared = sharing(sim, BURST_AT);
    expect(shared).toHaveLength(501);
    for (const limit of [40, 500]) {
      const before = queries(sim);
      const listed = await collect(sourceFor(sim, limit).source.listOpen(full));
      expect(listed.error).toMatchObject({
        code: 'unsupported',
        issues: ['paging: more incidents in one millisecond than one page holds'],
      });
      expect(listed.error?.message).toContain(
        `more than 500 incidents share the timeModified ${BURST_AT.toISOString()}`,
      );
      expect(listed.error?.message).toMatch(/the listing is incomplete .* the next scan tries again/);
      // Everything but the 501st incident of that millisecond is listed, later changes included.
      const missing = openIds(sanctioned(sim)).filter((id) => !listed.incidents.some((i) => i.id === id));
      expect(missing).toEqual([shared.at(-1)?.incidentId]);
      expect(listed.incidents.filter((i) => (i.updatedAt ?? i.createdAt) > BURST_AT).length).toBeGreaterThan(0);
      // With the largest page already configured, the millisecond is not asked for again.
      expect(queries(sim) - before).toBe(minRequests(sim, limit));
    }
  });
});

describe('Skyhigh scan: a millisecond too full to read', () => {
  it('should fail the source, keep its watermark and retry each scan until changes thin the millisecond', async () => {
    const clock = fixedClock(ANCHOR);
    // New incidents keep arriving, so a scan that succeeded would move the watermark.
    const sim = await start(1_400, undefined, clock, 600);
    const { source } = sourceFor(sim, 100, clock);
    const store = openStore(':memory:');
    const policy = createSlaPolicy(SlaConfig.parse({}), []);
    const options = { fullResyncEvery: 100, overlapMinutes: 10 };
    const scan = () => runScan({ store, sources: [source], policy, logger: silentLogger, options }, clock.now());
    try {
      expect((await scan()).sources[0]).toMatchObject({ ok: true, mode: 'full' });
      const { watermark } = store.scanState.get('shn-burst') ?? {};
      expect(watermark).toBeInstanceOf(Date);

      // A console bulk action: 501 DLP incidents reopened in one millisecond.
      clock.advance(60_000);
      const burst = sim
        .records()
        .filter((r) => r.incidentId.startsWith('DLP-'))
        .slice(0, 501);
      for (const r of burst) expect(sim.changeStatus(r.incidentId, 'opened')).toBe(true);
      const burstAt = clock.now().toISOString();
      expect(sharing(sim, clock.now())).toHaveLength(501);

      for (const attempt of [1, 2]) {
        const before = queries(sim);
        const failed = (await scan()).sources[0];
        expect(failed, `attempt ${attempt}`).toMatchObject({ ok: false, error: { code: 'unsupported' } });
        expect(queries(sim)).toBeGreaterThan(before);
        // The incidents created since were read and stored, yet the watermark stays where it was.
        const newer = [...store.incidents.iterateOpen({ source: 'shn-burst' })].filter(
          (i) => i.createdAt > (watermark as Date),
        );
        expect(newer.length).toBeGreaterThan(0);
        expect(store.scanState.get('shn-burst')).toMatchObject({
          watermark,
          lastOutcome: 'failed',
          lastError: expect.stringContaining(`more than 500 incidents share the timeModified ${burstAt}`),
        });
        clock.advance(60_000);
      }

      // Two of them change again: they leave that millisecond, the 499 left fit one page, and the scan succeeds.
      for (const r of burst.slice(0, 2)) sim.changeStatus(r.incidentId, 'new');
      expect((await scan()).sources[0]).toMatchObject({ ok: true, error: null });
      const stored = new Set([...store.incidents.iterateOpen({ source: 'shn-burst' })].map((i) => i.id));
      expect(burst.filter((r) => !stored.has(r.incidentId))).toEqual([]);
      expect(store.scanState.get('shn-burst')).toMatchObject({ lastOutcome: 'ok', lastError: null });
      expect(store.scanState.get('shn-burst')?.watermark?.getTime()).toBeGreaterThan((watermark as Date).getTime());
    } finally {
      store.close();
    }
  });
});
