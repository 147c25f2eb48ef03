import { beforeAll, describe, expect, it } from 'vitest';
import type { PaloAltoSimulator } from '../../adapters/dlp/paloalto/simulator.js';
import { HOSTILE_STRINGS } from '../../adapters/dlp/simulator-kit/hostile.js';
import { TEXT_LIMITS } from '../../src/domain/incident.js';
import { collect, okValue } from '../support/adapters.js';
import { fixedClock } from '../support/fixed-clock.js';
import { ANCHOR, HOUR, type Json, useSimulators } from '../support/paloalto.js';
import { isOpenRecord, publishedRecords, usePublishedSources } from '../support/paloalto-published.js';

const clock = fixedClock(ANCHOR);
const start = useSimulators({ seed: 47, incidents: 160, clock, api: 'published' });
const publishedSource = usePublishedSources();
const LIST = 'GET /v2/api/incidents';
const DETAIL = 'GET /v2/api/incidents/{incidentID}';
const full = { mode: 'full' } as const;

describe('Palo Alto adapter, published API: listing', () => {
  let sim: PaloAltoSimulator;
  let truth: Json[];
  beforeAll(async () => {
    sim = await start();
    truth = publishedRecords(sim);
  });

  it('should list exactly the open incidents, reading each listed one in detail, in ceil(n/pageSize) pages', async () => {
    const source = publishedSource(sim, { clock, overrides: { pageSize: 7 } });
    const before = sim.requests().byRoute;
    const listed = await collect(source.listOpen(full));
    const after = sim.requests().byRoute;
    expect(listed.error).toBeNull();
    expect(listed.incidents.map((i) => i.id).sort()).toEqual(
      truth
        .filter(isOpenRecord)
        .map((r) => r.incident_id)
        .sort(),
    );
    expect(
      truth.some((r) => !isOpenRecord(r)),
      'the dataset has closed incidents to leave out',
    ).toBe(true);
    expect((after[LIST] ?? 0) - (before[LIST] ?? 0)).toBe(Math.ceil(truth.length / 7));
    expect((after[DETAIL] ?? 0) - (before[DETAIL] ?? 0)).toBe(truth.length);
    expect(listed.expectedTotals[0]).toBe(truth.length);
  });

  it('should map status, severity, time, assignee and counts from the detail, and keep the notes out', async () => {
    const source = publishedSource(sim, {
      clock,
      overrides: { severity: { default: 'low', byAction: { block: 'high' }, byDataProfile: { 'US SSN': 'critical' } } },
    });
    const listed = await collect(source.listOpen(full));
    const byId = new Map(listed.incidents.map((i) => [i.id, i]));
    const reviewed = truth.find((r) => r.resolution_status === 'under_investigation' && r.assignee_id);
    const incident = byId.get(String(reviewed?.incident_id));
    expect(incident).toMatchObject({
      status: 'in_review',
      rawStatus: 'under_investigation',
      source: 'contract-source',
    });
    expect(incident?.assignee).toMatch(/^analyst\d{2}@example\.com$/);
    for (const record of truth.filter(isOpenRecord)) {
      const mapped = byId.get(String(record.incident_id));
      const expected = record.data_profile_name === 'US SSN' ? 'critical' : record.action === 'block' ? 'high' : 'low';
      expect(mapped?.severity, String(record.incident_id)).toBe(expected);
      expect(mapped?.matchCount).toBe(Object.values(record.match_info as Record<string, Json>)[0]?.lcf);
      expect(mapped?.status).toBe(record.resolution_status ? 'in_review' : 'new');
    }
    const noted = truth.filter(isOpenRecord).find((r) => typeof r.incident_notes === 'string');
    if (noted) expect(JSON.stringify(byId.get(String(noted.incident_id)))).not.toContain(String(noted.incident_notes));
  });

  it('should read creation times in UTC exactly', async () => {
    const listed = await collect(publishedSource(sim, { clock }).listOpen(full));
    const seedTimes = new Map(listed.incidents.map((i) => [i.id, i.createdAt.getTime()]));
    for (const record of truth.filter(isOpenRecord).slice(0, 20)) {
      const position = truth.indexOf(record);
      const seed = sim.incident(String(1_000_000 + position));
      expect(seedTimes.get(String(record.incident_id))).toBe(Date.parse(String(seed?.timestamp)));
    }
  });

  it('should list only incidents created at or after the watermark when incremental', async () => {
    const since = new Date(ANCHOR.getTime() - 6 * HOUR);
    const listed = await collect(publishedSource(sim, { clock }).listOpen({ mode: 'incremental', since }));
    expect(listed.error).toBeNull();
    expect(listed.incidents.length).toBeGreaterThan(0);
    for (const incident of listed.incidents)
      expect(incident.createdAt.getTime()).toBeGreaterThanOrEqual(since.getTime());
  });

  it('should look back lookbackDays on a full scan', async () => {
    const listed = await collect(publishedSource(sim, { clock, overrides: { lookbackDays: 1 } }).listOpen(full));
    const dayAgo = ANCHOR.getTime() - 24 * HOUR;
    const wanted = truth.filter(
      (r, p) => isOpenRecord(r) && Date.parse(String(sim.incident(String(1_000_000 + p))?.timestamp)) >= dayAgo,
    );
    expect(listed.incidents.map((i) => i.id).sort()).toEqual(wanted.map((r) => r.incident_id).sort());
    expect(wanted.length).toBeLessThan(truth.filter(isOpenRecord).length);
  });

  it('should carry hostile vendor text through verbatim, clipped to the limits, never dropped', async () => {
    const listed = await collect(publishedSource(sim, { clock }).listOpen(full));
    const fields = listed.incidents.flatMap((i) => [i.policy, i.actor, i.fileName]);
    const hostile = fields.filter((f) =>
      HOSTILE_STRINGS.some((h) => f === h || (h.length > 1024 && f !== null && f === h.slice(0, f.length))),
    );
    expect(hostile.length, 'the seed should plant hostile strings in open incidents').toBeGreaterThan(0);
    for (const incident of listed.incidents) {
      expect((incident.policy ?? '').length).toBeLessThanOrEqual(TEXT_LIMITS.policy);
      expect((incident.actor ?? '').length).toBeLessThanOrEqual(TEXT_LIMITS.actor);
    }
  });

  it('should pass check() naming the TSG and the region', async () => {
    const { details } = okValue(await publishedSource(sim, { clock }).check());
    expect(details).toEqual([
      'token issued for TSG 1234567890 (valid 15 min)',
      `published API incident list reachable (${truth.length} incident(s) in the last 30 days, region us)`,
    ]);
  });

  it('should see incidents that arrive later on the next scan', async () => {
    const moving = fixedClock(ANCHOR);
    const arriving = await start({ arrivalsPerHour: 6, clock: moving });
    const source = publishedSource(arriving, { clock: moving });
    const first = await collect(source.listOpen(full));
    moving.advance(2 * HOUR);
    const second = await collect(source.listOpen(full));
    expect(second.incidents.length).toBe(first.incidents.length + 12);
  });
});
