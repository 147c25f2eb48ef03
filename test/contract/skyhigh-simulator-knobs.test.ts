import { describe, expect, it } from 'vitest';
import { HOSTILE_STRINGS } from '../../adapters/dlp/simulator-kit/hostile.js';
import { generateSkyhighDataset } from '../../adapters/dlp/skyhigh/dataset.js';
import { BREAKAGES, breakageOf, isMalformed } from '../../adapters/dlp/skyhigh/simulator/quirks.js';
import type { ShnIncidentRecord } from '../../adapters/dlp/skyhigh/simulator/records.js';
import {
  QUERY_ROUTE,
  type SkyhighSimulator,
  type SkyhighSimulatorOptions,
  startSkyhighSimulator,
} from '../../adapters/dlp/skyhigh/simulator.js';
import { closeAfterAll } from '../support/adapters.js';
import { fixedClock } from '../support/fixed-clock.js';
import { inFlight, untilLogged } from '../support/in-flight.js';

/** Fault knobs, quirks, the dataset and the handle. */

const ANCHOR = new Date('2026-11-23T10:00:00Z');
const HOUR = 3_600_000;
/** Long enough that an undelayed query answers well inside it, even on a loaded machine. */
const SET_LATENCY_MS = 2_000;
const OLD = '2026-10-01T00:00:00.000Z';
const SLA_HOURS: Record<string, number> = { high: 4, medium: 8, low: 12 };
const track = closeAfterAll();
const start = async (options: SkyhighSimulatorOptions = {}) =>
  track(
    await startSkyhighSimulator({ seed: 7, incidents: 300, anchor: ANCHOR, clock: fixedClock(ANCHOR), ...options }),
  );

type Json = Record<string, unknown>;
const basicOf = (sim: SkyhighSimulator) =>
  `Basic ${Buffer.from(`${sim.credentials.username}:${sim.credentials.password}`).toString('base64')}`;

async function query(sim: SkyhighSimulator, criteria: Json = { startTime: OLD }, limit = 500) {
  const res = await fetch(`${sim.baseUrl}/v1/queryIncidents?limit=${limit}`, {
    method: 'POST',
    headers: { authorization: basicOf(sim), 'content-type': 'application/json' },
    body: JSON.stringify(criteria),
  });
  const text = await res.text();
  let json: Json | undefined;
  try {
    json = JSON.parse(text) as Json;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}
const incidentsOf = (json: Json | undefined) => ((json?.body as Json | undefined)?.incidents ?? []) as Json[];
const records = (seed: number, incidents: number, breachedShare?: number) => {
  const dataset = generateSkyhighDataset({ seed, incidents, anchor: ANCHOR, breachedShare });
  return Array.from({ length: dataset.size() }, (_, p) => dataset.incident(p));
};

describe('Skyhigh simulator: fault knobs', () => {
  it('should answer every API request with a 500 entity carrying responseInfo.error when errorRate is 1', async () => {
    const sim = await start({ faults: { errorRate: 1 } });
    const reply = await query(sim);
    expect(reply.status).toBe(500);
    expect(reply.json).toMatchObject({
      statusCode: 'INTERNAL_SERVER_ERROR',
      statusCodeValue: 500,
      body: { responseInfo: { error: { code: 500 } }, incidents: null },
    });
    // Token requests are not API requests: a client can still sign in.
    const token = await fetch(`${sim.baseUrl}/v1/token?grant_type=password&token_type=iam`, {
      method: 'POST',
      headers: { authorization: basicOf(sim) },
    });
    expect(token.status).toBe(200);
  });

  it('should answer every Nth request with 429 and Retry-After, and enforce limitPerMinute on the simulator clock', async () => {
    const every = await start({ faults: { rateLimit429Every: 3, retryAfterSec: 7 } });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      const reply = await query(every, undefined, 1);
      statuses.push(reply.status);
      if (reply.status === 429) {
        expect(reply.headers.get('retry-after')).toBe('7');
        expect(reply.json).toMatchObject({
          statusCode: 'TOO_MANY_REQUESTS',
          body: { responseInfo: { error: { code: 429 } } },
        });
      }
    }
    expect(statuses).toEqual([200, 200, 429, 200, 200, 429]);
    const clock = fixedClock(ANCHOR);
    const limited = await start({ clock, faults: { limitPerMinute: 2 } });
    expect([(await query(limited)).status, (await query(limited)).status]).toEqual([200, 200]);
    clock.advance(20_000);
    const over = await query(limited);
    expect([over.status, over.headers.get('retry-after')]).toEqual([429, '40']);
    clock.advance(40_000);
    expect((await query(limited)).status).toBe(200);
  });

  it('should delay API requests by latencyMs, and by setLatency from the moment it is set', async () => {
    const slow = await start({ faults: { latencyMs: 60 } });
    const started = performance.now();
    expect((await query(slow, undefined, 1)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    const sim = await start();
    sim.setLatency(SET_LATENCY_MS);
    const delayed = inFlight(() => query(sim, undefined, 1));
    await untilLogged(() => sim.requests(), QUERY_ROUTE);
    // Set back to 0, the next query is not delayed: it answers while the one made under the latency still waits.
    sim.setLatency(0);
    expect((await query(sim, undefined, 1)).status).toBe(200);
    expect(delayed.settled()).toBe(false);
    expect((await delayed.result).status).toBe(200);
    expect(delayed.elapsedMs()).toBeGreaterThanOrEqual(SET_LATENCY_MS - 10);
    expect(() => sim.setLatency(-1)).toThrow(RangeError);
    expect(() => sim.setLatency(1.5)).toThrow(RangeError);
  });
});

describe('Skyhigh simulator: quirks', () => {
  it('should serve the bare body when unwrapped, and errors as HTTP 200 entities when errorsInBody', async () => {
    const bare = await query(await start({ quirks: { unwrapped: true } }), undefined, 3);
    expect(Object.keys(bare.json ?? {}).sort()).toEqual(['incidents', 'responseInfo']);
    const inBody = await start({ quirks: { errorsInBody: true }, faults: { rateLimitShare: 1, retryAfterSec: 2 } });
    const reply = await query(inBody);
    expect([reply.status, reply.headers.get('retry-after')]).toEqual([200, '2']);
    expect(reply.json).toMatchObject({ statusCodeValue: 429, body: { responseInfo: { error: { code: 429 } } } });
  });

  it('should answer 404 for a query that matches nothing when notFoundWhenEmpty', async () => {
    const sim = await start({ quirks: { notFoundWhenEmpty: true } });
    expect((await query(sim)).status).toBe(200);
    const empty = await query(sim, { startTime: ANCHOR.toISOString(), endTime: ANCHOR.toISOString() });
    expect(empty.status).toBe(404);
    expect(empty.json).toMatchObject({ statusCodeValue: 404, body: { responseInfo: { error: { code: 404 } } } });
  });

  it('should serve information as a [{key, value}] list when informationAsList', async () => {
    const sim = await start({ quirks: { informationAsList: true } });
    const served = incidentsOf((await query(sim, undefined, 20)).json);
    const truth = sim.records().filter((r) => !r.incidentId.startsWith('SHW-'));
    served.forEach((incident, i) => {
      const entries = Object.entries((truth[i] as ShnIncidentRecord).information).map(([key, value]) => ({
        key,
        value,
      }));
      expect(incident.information).toEqual(entries);
    });
  });

  it('should break the same records on every read when malformedRecordShare is set', async () => {
    const sim = await start({ quirks: { malformedRecordShare: 0.2 } });
    const first = incidentsOf((await query(sim)).json);
    const truth = sim.records().filter((r) => !r.incidentId.startsWith('SHW-'));
    const broken = first.filter((r, i) => JSON.stringify(r) !== JSON.stringify(truth[i]));
    expect(broken.length / first.length).toBeGreaterThan(0.12);
    expect(broken.length / first.length).toBeLessThan(0.28);
    expect(incidentsOf((await query(sim)).json)).toEqual(first);
    const kinds = new Set(
      truth
        .map((r) => Number(r.incidentId.slice(4)) - 10_001)
        .filter((p) => isMalformed(7, p, 0.2))
        .map((p) => breakageOf(7, p)),
    );
    expect(kinds.size).toBe(BREAKAGES.length);
  });

  it('should cut the body in half when invalidJson, and ignore startTime when startTimeIgnored', async () => {
    const cut = await query(await start({ quirks: { invalidJson: true } }));
    expect(cut.status).toBe(200);
    expect(cut.json).toBeUndefined();
    expect(cut.text.startsWith('{"headers":{}')).toBe(true);
    const sim = await start({ quirks: { startTimeIgnored: true } });
    const late = incidentsOf((await query(sim, { startTime: '2026-11-23T09:00:00.000Z' }, 5)).json);
    expect(late).toEqual(incidentsOf((await query(sim, { startTime: OLD }, 5)).json));
  });
});

describe('Skyhigh simulator: dataset', () => {
  it('should generate the same dataset for the same seed and a different one for another seed', () => {
    const first = records(3, 400);
    expect(records(3, 400)).toEqual(first);
    expect(records(4, 400)).not.toEqual(first);
  });

  it('should make breachedShare of the open incidents older than their SLA window, some escalated', () => {
    for (const share of [0, 0.3, 0.6]) {
      const open = records(21, 2_000, share).filter((r) => r.status === 'new' || r.status === 'opened');
      const ratio = (r: ShnIncidentRecord) =>
        (ANCHOR.getTime() - Date.parse(r.timeCreated)) / ((SLA_HOURS[r.incidentRiskSeverity] ?? Number.NaN) * HOUR);
      const breached = open.filter((r) => ratio(r) > 1);
      expect(Math.abs(breached.length - open.length * share), `share ${share}`).toBeLessThanOrEqual(1);
      expect(open.every((r) => ratio(r) >= 0)).toBe(true);
      if (share > 0) expect(breached.filter((r) => ratio(r) > 2).length).toBeGreaterThan(breached.length * 0.2);
    }
  });

  it('should mix groups, statuses and severities, modify incidents after creation and share milliseconds', () => {
    const all = records(17, 3_000);
    const count = (test: (r: ShnIncidentRecord) => boolean) => all.filter(test).length;
    for (const status of ['new', 'opened', 'false positive', 'resolved', 'suppressed', 'archived']) {
      expect(
        count((r) => r.status === status),
        status,
      ).toBeGreaterThan(60);
    }
    for (const prefix of ['DLP', 'CAP', 'AUD', 'EPO', 'ANO', 'THR', 'MAL', 'SHW']) {
      expect(
        count((r) => r.incidentId.startsWith(`${prefix}-`)),
        prefix,
      ).toBeGreaterThan(50);
    }
    expect(new Set(all.map((r) => `${r.incidentRiskSeverity}:${r.incidentRiskSeverityId}`))).toEqual(
      new Set(['low:0', 'medium:1', 'high:2']),
    );
    const later = count((r) => Date.parse(r.timeModified) - Date.parse(r.timeCreated) > HOUR);
    expect(later).toBeGreaterThan(all.length * 0.3);
    const perMs = new Map<string, number>();
    for (const r of all) perMs.set(r.timeModified, (perMs.get(r.timeModified) ?? 0) + 1);
    expect(Math.max(...perMs.values())).toBeGreaterThanOrEqual(5);
    expect(count((r) => r.actorId === 'NOT AVAILABLE')).toBeGreaterThan(30);
  });

  it('should put hostile strings into about 5% of records, every one of them somewhere', () => {
    const all = records(17, 3_000);
    const texts = (r: ShnIncidentRecord) => [
      r.actorId,
      r.instanceName,
      ...r.serviceNames,
      String(r.information.policyName),
      String(r.information.contentItemName),
    ];
    const hostile = all.filter((r) => texts(r).some((t) => HOSTILE_STRINGS.includes(t)));
    expect(hostile.length / all.length).toBeGreaterThan(0.03);
    expect(hostile.length / all.length).toBeLessThan(0.07);
    for (const value of HOSTILE_STRINGS) expect(hostile.some((r) => texts(r).includes(value))).toBe(true);
  });

  it('should add arrivals and console changes only once the clock passes them, moving changed incidents last', async () => {
    const clock = fixedClock(ANCHOR);
    const sim = await start({ clock, arrivalsPerHour: 30, changesPerHour: 30 });
    const before = sim.records();
    expect(before).toHaveLength(300);
    clock.advance(HOUR);
    const after = sim.records();
    const arrived = after.filter((r) => Date.parse(r.timeCreated) > ANCHOR.getTime());
    expect(arrived.length).toBeGreaterThanOrEqual(29);
    expect(arrived.length).toBeLessThanOrEqual(31);
    const untouched = arrived.filter((r) => r.timeCreated === r.timeModified);
    expect(untouched.length).toBeGreaterThan(20);
    expect(untouched.every((r) => r.status === 'new')).toBe(true);
    const changed = after.filter(
      (r) => Date.parse(r.timeCreated) <= ANCHOR.getTime() && Date.parse(r.timeModified) > ANCHOR.getTime(),
    );
    expect(changed.length).toBeGreaterThan(15);
    for (const r of changed) {
      const was = before.find((b) => b.incidentId === r.incidentId);
      expect(r.status).not.toBe(was?.status);
      expect(r.significantlyUpdatedAt).toBe(was?.significantlyUpdatedAt);
    }
    const times = after.map((r) => Date.parse(r.timeModified));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const served = incidentsOf((await query(sim, { startTime: ANCHOR.toISOString() })).json);
    expect(served.map((r) => r.incidentId).sort()).toEqual(
      [...arrived, ...changed]
        .filter((r) => !r.incidentId.startsWith('SHW-'))
        .map((r) => r.incidentId)
        .sort(),
    );
  });
});

describe('Skyhigh simulator: bulkChange', () => {
  it('should give the oldest DLP incidents one status and one timeModified, served in one narrow window', async () => {
    const at = new Date(ANCHOR.getTime() - 2 * HOUR);
    const plain = (await start()).records();
    const sim = await start({ bulkChange: { records: 25, status: 'resolved', at } });
    const oldestDlp = plain
      .filter((r) => r.incidentId.startsWith('DLP-') && Date.parse(r.timeModified) <= at.getTime())
      .sort((a, b) => Date.parse(a.timeCreated) - Date.parse(b.timeCreated))
      .slice(0, 25)
      .map((r) => r.incidentId);
    const shared = sim.records().filter((r) => r.timeModified === at.toISOString());
    expect(shared.map((r) => r.incidentId).sort()).toEqual([...oldestDlp].sort());
    expect(shared.every((r) => r.status === 'resolved')).toBe(true);
    const window = { startTime: at.toISOString(), endTime: new Date(at.getTime() + 1).toISOString() };
    const served = incidentsOf((await query(sim, window)).json);
    expect(served.map((r) => r.incidentId).sort()).toEqual([...oldestDlp].sort());
    expect(sim.describe().join('\n')).toContain(
      `bulk change:  25 DLP incidents share timeModified ${at.toISOString()}`,
    );
  });

  it('should refuse a bulk change of no records or of more DLP incidents than there are', async () => {
    await expect(start({ bulkChange: { records: 0 } })).rejects.toThrow(
      /bulkChange.records must be a positive integer/,
    );
    await expect(start({ bulkChange: { records: 10_000 } })).rejects.toThrow(/only \d+ DLP incidents/);
  });
});

describe('Skyhigh simulator: handle', () => {
  it('should describe itself, emit a source entry and env, count requests and close', async () => {
    const sim = await startSkyhighSimulator({
      seed: 2,
      incidents: 50,
      faults: { latencyMs: 1 },
      quirks: { unwrapped: true },
    });
    expect(sim.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/shnapi\/rest\/external\/api$/);
    expect(sim.sourceConfig('shn-sandbox')).toEqual({
      id: 'shn-sandbox',
      vendor: 'skyhigh',
      baseUrl: sim.baseUrl,
      usernameEnv: 'SKYHIGH_SANDBOX_USERNAME',
      passwordEnv: 'SKYHIGH_SANDBOX_PASSWORD',
    });
    expect(sim.env()).toEqual({
      SKYHIGH_SANDBOX_USERNAME: 'sandbox.analyst@example.com',
      SKYHIGH_SANDBOX_PASSWORD: 'sandbox-password',
    });
    const open = sim.records().filter((r) => r.status === 'new' || r.status === 'opened').length;
    expect(sim.openIncidentCount()).toBe(open);
    const text = sim.describe().join('\n');
    for (const part of [sim.baseUrl, 'sandbox-password', `50 visible, ${open} open`, 'latencyMs=1', 'unwrapped']) {
      expect(text).toContain(part);
    }
    await query(sim);
    expect((await fetch(`${sim.origin}/nope`)).status).toBe(404);
    const get = await fetch(`${sim.baseUrl}/v1/queryIncidents`);
    expect([get.status, get.headers.get('allow')]).toEqual([405, 'POST']);
    expect(sim.requests()).toEqual({ total: 3, token: 0, byRoute: { [QUERY_ROUTE]: 1, unmatched: 2 } });
    expect(sim.incident('DLP-99999')).toBeUndefined();
    const first = sim.records()[0] as ShnIncidentRecord;
    expect(sim.incident(first.incidentId)).toEqual(first);
    expect(sim.incident(`XXX${first.incidentId.slice(3)}`)).toBeUndefined();
    await sim.close();
    await expect(fetch(sim.baseUrl, { method: 'POST' })).rejects.toThrow();
  });
});
