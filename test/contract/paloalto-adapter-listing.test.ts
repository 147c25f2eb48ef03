import { describe, expect, it } from 'vitest';
import { HOSTILE_STRINGS, LONG_HOSTILE_NAME } from '../../adapters/dlp/simulator-kit/hostile.js';
import { Incident, TEXT_LIMITS } from '../../src/domain/incident.js';
import { createRequestCounter } from '../../src/http/counter.js';
import { collect } from '../support/adapters.js';
import { ANCHOR, HOUR, listRequests, simulatorRecordsWith, useSimulators } from '../support/paloalto.js';
import { CONSOLE_URL, expectedIncident, sortedIds, usePanSources } from '../support/paloalto-expect.js';

// Seed 43 with 300 incidents: 210 open (divisible by 30), 46 in review, and every hostile case below.
const start = useSimulators({ seed: 43 });
const panSource = usePanSources();
const LISTED = ['open', 'in_review'];
const FIELD_LIMITS = {
  data_pattern_name: ['policy', TEXT_LIMITS.policy],
  user: ['actor', TEXT_LIMITS.actor],
  file_name: ['fileName', TEXT_LIMITS.fileName],
} as const;

describe('Palo Alto adapter: full and incremental listing', () => {
  it("should return exactly the simulator's open and in-review incidents, each mapped field by field", async () => {
    const sim = await start();
    const listed = await collect(panSource(sim, { overrides: { consoleUrl: CONSOLE_URL } }).listOpen({ mode: 'full' }));
    expect(listed.error).toBeNull();
    const truth = simulatorRecordsWith(sim, LISTED);
    expect(truth.filter((r) => r.status === 'open')).toHaveLength(sim.openIncidentCount());
    expect(sortedIds(listed.incidents)).toEqual(sortedIds(truth));
    expect(listed.incidents).toHaveLength(truth.length);
    const byId = new Map(listed.incidents.map((i) => [i.id, i]));
    for (const raw of truth) {
      const mapped = byId.get(String(raw.incident_id));
      expect(mapped).toEqual(expectedIncident(raw, 'pan-test', CONSOLE_URL));
      expect(Incident.parse(mapped)).toEqual(mapped);
    }
    const severities = new Set(listed.incidents.map((i) => i.severity));
    expect([...severities].sort()).toEqual(['critical', 'high', 'info', 'low', 'medium']);
    expect(listed.incidents.some((i) => i.status === 'in_review' && i.updatedAt !== null)).toBe(true);
    expect(listed.incidents[0]?.link).toBe(CONSOLE_URL.replace('{id}', String(listed.incidents[0]?.id)));
  });

  it('should build no link when no consoleUrl is configured', async () => {
    const listed = await collect(panSource(await start()).listOpen({ mode: 'full' }));
    expect(listed.incidents.length).toBeGreaterThan(200);
    expect(listed.incidents.filter((i) => i.link !== null)).toEqual([]);
  });

  it('should keep hostile text verbatim, clipped only to the Incident text limits', async () => {
    const sim = await start();
    const listed = await collect(panSource(sim).listOpen({ mode: 'full' }));
    const byId = new Map(listed.incidents.map((i) => [i.id, i]));
    const seen = new Set<string>();
    for (const raw of simulatorRecordsWith(sim, LISTED)) {
      for (const [field, [key, limit]] of Object.entries(FIELD_LIMITS)) {
        const value = raw[field];
        if (typeof value !== 'string' || !HOSTILE_STRINGS.includes(value)) continue;
        seen.add(value);
        const mapped = byId.get(String(raw.incident_id))?.[key];
        if (value.length > limit) expect([mapped?.length, mapped]).toEqual([limit, value.slice(0, limit)]);
        else expect(mapped).toBe(value);
      }
    }
    for (const needed of ['<!channel>', LONG_HOSTILE_NAME, '\u202Etxt.exe', 'pay\u200Broll']) {
      expect(seen.has(needed), `dataset lacks ${JSON.stringify(needed.slice(0, 20))}`).toBe(true);
    }
    expect(LONG_HOSTILE_NAME.length).toBe(5_000);
  });

  it('should never copy reviewer comments or the reviewer into an Incident', async () => {
    const sim = await start();
    const source = panSource(sim);
    const listed = await collect(source.listOpen({ mode: 'full' }));
    const reviewed = simulatorRecordsWith(sim, LISTED).filter((r) => typeof r.reviewer_comments === 'string');
    expect(reviewed.length).toBeGreaterThan(10);
    const serialised = JSON.stringify(listed.incidents);
    for (const raw of reviewed) {
      const incident = listed.incidents.find((i) => i.id === raw.incident_id);
      expect(incident).toBeDefined();
      expect(JSON.stringify(incident)).not.toContain(String(raw.reviewer_comments));
      expect(JSON.stringify(incident)).not.toContain(String(raw.reviewed_by));
      expect(incident?.assignee).toBeNull();
    }
    for (const comment of new Set(reviewed.map((r) => String(r.reviewer_comments)))) {
      expect(serialised).not.toContain(comment);
    }
    const one = await source.get(String(reviewed[0]?.incident_id));
    expect(JSON.stringify(one)).not.toContain(String(reviewed[0]?.reviewer_comments));
  });

  it('should send start_time on an incremental window and return only incidents created at or after it', async () => {
    const sim = await start();
    const truth = simulatorRecordsWith(sim, LISTED);
    const since = new Date(ANCHOR.getTime() - 3 * HOUR);
    const newer = truth.filter((r) => Date.parse(String(r.timestamp)) >= since.getTime());
    expect(newer.length).toBeGreaterThan(5);
    expect(newer.length).toBeLessThan(truth.length / 2);
    const listed = await collect(panSource(sim).listOpen({ mode: 'incremental', since }));
    expect(listed.error).toBeNull();
    expect(sortedIds(listed.incidents)).toEqual(sortedIds(newer));
    for (const incident of listed.incidents) expect(incident.createdAt.getTime()).toBeGreaterThanOrEqual(+since);
    // The server did the filtering: its totals count only the newer records, status by status.
    const count = (status: string) => newer.filter((r) => r.status === status).length;
    expect(listed.expectedTotals).toEqual([count('open'), count('in_review')]);
    expect(listRequests(sim)).toBe(2);
    const edge = new Date(String(newer[0]?.timestamp));
    const inclusive = await collect(panSource(sim).listOpen({ mode: 'incremental', since: edge }));
    expect(inclusive.incidents.map((i) => i.id)).toContain(String(newer[0]?.incident_id));
  });
});

describe('Palo Alto adapter: request economy', () => {
  it('should make Σ ceil(count/pageSize) list requests and exactly one token request for a whole scan', async () => {
    const sim = await start();
    const counter = createRequestCounter();
    const listed = await collect(panSource(sim, { counter, overrides: { pageSize: 7 } }).listOpen({ mode: 'full' }));
    expect(listed.error).toBeNull();
    const counts = LISTED.map((status) => simulatorRecordsWith(sim, [status]).length);
    const expected = counts.reduce((sum, n) => sum + Math.ceil(n / 7), 0);
    expect(expected).toBeGreaterThan(30);
    expect(listed.pages).toBe(expected);
    expect(listRequests(sim)).toBe(expected);
    expect(sim.requests().token).toBe(1);
    expect(sim.requests().total).toBe(expected + 1);
    expect(counter.bySource()['pan-test']).toEqual({ api: expected, token: 1, rateLimited: 0, failed: 0 });
  });

  it('should not ask for another page when the page size divides a status count exactly', async () => {
    const sim = await start();
    const [open, inReview] = LISTED.map((status) => simulatorRecordsWith(sim, [status]).length);
    expect([open, (open ?? 0) % 30]).toEqual([210, 0]);
    const listed = await collect(panSource(sim, { overrides: { pageSize: 30 } }).listOpen({ mode: 'full' }));
    expect(listed.error).toBeNull();
    expect(listed.incidents).toHaveLength(210 + (inReview ?? 0));
    expect(listRequests(sim)).toBe(7 + Math.ceil((inReview ?? 0) / 30));
  });
});
